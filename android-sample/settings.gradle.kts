// The Android Studio project of the SessionCore sample. Open this folder
// (android-sample/) in Android Studio; the Rust workspace is its parent.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "SessionCoreSample"

// The Kotlin library: generated bindings, the hand-written layer in
// ../bindings/kotlin and the core's native libraries for each ABI.
include(":sessioncore")
// The sample's plain-Kotlin logic (controller, KeystoreStorage's cipher),
// which the JVM tests of scripts/test-android-sample.sh also compile.
include(":logic")
// The app: Compose screens, Custom Tab login and the Android Keystore key.
include(":app")
