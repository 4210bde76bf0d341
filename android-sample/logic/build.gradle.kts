// The sample's logic in plain Kotlin: no Android import, so the same sources
// compile and run on a desktop JVM. scripts/test-android-sample.sh compiles
// src/main with src/desktop (the desktop demo) and src/jvmTest (JUnit tests
// against the dev identity provider); this module builds only src/main.
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "dev.sessioncore.sample.logic"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
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
    api(project(":sessioncore"))
}
