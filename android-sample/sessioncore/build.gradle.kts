// The SessionCore Kotlin library as an Android library module: the bindings
// that uniffi-bindgen generates from core/src/session_core.udl, the
// hand-written layer in bindings/kotlin/src/main/kotlin, and the core built
// for each Android ABI with cargo-ndk.
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

/** The Rust workspace: the parent of this Android project. */
val workspaceDir: File = rootProject.projectDir.parentFile
val generatedBindingsDir = layout.buildDirectory.dir("generated/sessioncore/kotlin")
val jniLibsDir = layout.buildDirectory.dir("generated/sessioncore/jniLibs")

/** ABIs to build the core for; the Android ABI names that cargo-ndk accepts. */
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")

/** `release` by default; pass -PsessioncoreRustProfile=debug for faster Rust builds. */
val rustProfile = (findProperty("sessioncoreRustProfile") as String?) ?: "release"

android {
    namespace = "dev.sessioncore"
    compileSdk = 35
    ndkVersion = "27.2.12479018"

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets["main"].apply {
        kotlin.srcDirs(generatedBindingsDir, workspaceDir.resolve("bindings/kotlin/src/main/kotlin"))
        jniLibs.srcDir(jniLibsDir)
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The AAR carries JNA's own native library for each ABI; the plain jar
    // has only desktop ones.
    api(libs.jna) { artifact { type = "aar" } }
    api(libs.kotlinx.coroutines.android)
    // The Android flavour of the generated code frees Rust objects with
    // Android's cleaner, which uses these annotations.
    implementation(libs.androidx.annotation)
}

// Generates the Android flavour of the bindings with the workspace's pinned
// uniffi-bindgen. The script builds the core for the host first, because the
// generator reads the interface from a built library.
val generateSessionCoreBindings by tasks.registering(Exec::class) {
    group = "sessioncore"
    description = "Generates the Kotlin bindings of the Rust core."
    workingDir = workspaceDir
    inputs.file(workspaceDir.resolve("core/src/session_core.udl"))
    inputs.file(workspaceDir.resolve("uniffi.toml"))
    inputs.dir(workspaceDir.resolve("core/src"))
    outputs.dir(generatedBindingsDir)
    commandLine(
        "scripts/kotlin-generate.sh",
        "--android",
        generatedBindingsDir.get().asFile.absolutePath,
    )
}

// Builds libsession_core.so for each ABI into jniLibs/<abi>/ with cargo-ndk,
// which finds the NDK through ANDROID_NDK_HOME.
val buildSessionCoreJniLibs by tasks.registering(Exec::class) {
    group = "sessioncore"
    description = "Builds the Rust core for ${abis.joinToString()} with cargo-ndk."
    workingDir = workspaceDir
    inputs.dir(workspaceDir.resolve("core/src"))
    inputs.file(workspaceDir.resolve("core/Cargo.toml"))
    inputs.file(workspaceDir.resolve("Cargo.lock"))
    inputs.property("profile", rustProfile)
    outputs.dir(jniLibsDir)
    val targets = abis.flatMap { listOf("--target", it) }
    val profileFlag = if (rustProfile == "release") listOf("--release") else emptyList()
    commandLine(
        listOf("cargo", "ndk") + targets +
            listOf("--platform", "24", "--output-dir", jniLibsDir.get().asFile.absolutePath) +
            listOf("build", "--locked", "-p", "session-core") + profileFlag,
    )
    doFirst {
        environment("ANDROID_NDK_HOME", androidComponents.sdkComponents.ndkDirectory.get().asFile.absolutePath)
    }
}

tasks.named("preBuild") {
    dependsOn(generateSessionCoreBindings, buildSessionCoreJniLibs)
}
