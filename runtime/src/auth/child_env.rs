//! The environment a credential's child process (the Azure CLI) runs with: what `az` needs
//! to find itself, its signed-in account and the network, and nothing else.
//!
//! An allow-list, not a deny-list. The app's environment holds secrets under names no list can
//! foresee: the Azure SDKs' own (`AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PASSWORD`,
//! `AZURE_PASSWORD`, `AZURE_FEDERATED_TOKEN_FILE`, `IDENTITY_HEADER`, `MSI_SECRET`), but also a
//! database password, a storage key, a pipeline's access token. A deny-list passes each one it
//! does not know of; an allow-list passes only what `az` is known to read:
//!
//! - finding programs: `PATH` (`az` is a script that runs its Python), `PATHEXT` on Windows;
//! - its account and settings: `HOME` (`~/.azure`), `AZURE_CONFIG_DIR`, `AZURE_EXTENSION_DIR`,
//!   `AZURE_CORE_*` (its `core` settings), the user's name;
//! - the network: `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`, `ALL_PROXY` in either case,
//!   `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`, `SSL_CERT_FILE`, `SSL_CERT_DIR`, and
//!   `AZURE_CLI_DISABLE_CONNECTION_VERIFICATION` (which a user sets for `az` behind an
//!   inspecting proxy);
//! - locale and temporary files: `LANG`, `LANGUAGE`, `LC_*`, `TMPDIR`, `TMP`, `TEMP`;
//! - Azure Cloud Shell, where `az` signs in through the shell's local endpoint: `ACC_CLOUD`,
//!   `MSI_ENDPOINT` (a URL; the `MSI_SECRET` that App Service pairs with it stays out);
//! - Windows, where Python and `cmd.exe` need the system's folders: `SystemRoot`,
//!   `SystemDrive`, `windir`, `ComSpec`, `USERPROFILE`, `HOMEDRIVE`, `HOMEPATH`, `APPDATA`,
//!   `LOCALAPPDATA`, `ProgramData`, the program folders, the processor's description.
//!
//! Names are compared without regard to case (Windows ignores it; proxies come in both cases).
//! A name let in by a prefix (`AZURE_CORE_`, `LC_`) that reads like a secret (`SECRET`,
//! `PASSWORD`, `PASSWD`, `TOKEN`, `KEY`, `CREDENTIAL`) stays out all the same.

use std::ffi::OsString;

/// Variables passed by exact name (upper case).
const NAMES: &[&str] = &[
    "PATH",
    "PATHEXT",
    "HOME",
    "USER",
    "LOGNAME",
    "USERNAME",
    "USERDOMAIN",
    "AZURE_CONFIG_DIR",
    "AZURE_EXTENSION_DIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "AZURE_CLI_DISABLE_CONNECTION_VERIFICATION",
    "LANG",
    "LANGUAGE",
    "TMPDIR",
    "TMP",
    "TEMP",
    "ACC_CLOUD",
    "MSI_ENDPOINT",
    "SYSTEMROOT",
    "SYSTEMDRIVE",
    "WINDIR",
    "COMSPEC",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMDATA",
    "PROGRAMFILES",
    "PROGRAMFILES(X86)",
    "PROGRAMW6432",
    "COMMONPROGRAMFILES",
    "COMMONPROGRAMFILES(X86)",
    "COMMONPROGRAMW6432",
    "PROCESSOR_ARCHITECTURE",
    "NUMBER_OF_PROCESSORS",
    "OS",
];

/// Families of variables passed by prefix (upper case), unless they read like a secret.
const PREFIXES: &[&str] = &["AZURE_CORE_", "LC_"];

/// Words that keep a variable out even when a prefix lets it in.
const SECRET_WORDS: &[&str] = &["SECRET", "PASSWORD", "PASSWD", "TOKEN", "KEY", "CREDENTIAL"];

/// Whether a child process of a credential may see the variable `name`.
fn passed(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    NAMES.contains(&name.as_str())
        || (PREFIXES.iter().any(|prefix| name.starts_with(prefix)) && !SECRET_WORDS.iter().any(|word| name.contains(word)))
}

/// The variables of `environment` that a credential's child process may see; names that are
/// not Unicode are left out.
pub(crate) fn child_environment(environment: impl IntoIterator<Item = (OsString, OsString)>) -> Vec<(OsString, OsString)> {
    environment.into_iter().filter(|(name, _)| name.to_str().is_some_and(passed)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_and_what_az_needs_goes_in() {
        let environment = [
            "AZURE_CLIENT_SECRET",
            "AZURE_CLIENT_CERTIFICATE_PASSWORD",
            "AZURE_CLIENT_CERTIFICATE_PATH",
            "AZURE_PASSWORD",
            "AZURE_USERNAME",
            "AZURE_FEDERATED_TOKEN_FILE",
            "AZURE_FEDERATED_TOKEN",
            "IDENTITY_HEADER",
            "IDENTITY_ENDPOINT",
            "MSI_SECRET",
            "AZURE_STORAGE_KEY",
            "SYSTEM_ACCESSTOKEN",
            "DATABASE_PASSWORD",
            "AZURE_CORE_CLIENT_SECRET",
            "LC_API_KEY",
            "PATH",
            "HOME",
            "AZURE_CONFIG_DIR",
            "https_proxy",
            "NO_PROXY",
            "LANG",
            "LC_ALL",
            "AZURE_CORE_OUTPUT",
            "SystemRoot",
            "MSI_ENDPOINT",
        ]
        .map(|name| (OsString::from(name), OsString::from("value")));
        let passed: Vec<String> = child_environment(environment).into_iter().map(|(name, _)| name.into_string().unwrap()).collect();
        assert_eq!(
            passed,
            [
                "PATH",
                "HOME",
                "AZURE_CONFIG_DIR",
                "https_proxy",
                "NO_PROXY",
                "LANG",
                "LC_ALL",
                "AZURE_CORE_OUTPUT",
                "SystemRoot",
                "MSI_ENDPOINT"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_unicode_stay_out() {
        use std::os::unix::ffi::OsStringExt;
        let name = OsString::from_vec(b"PATH\xff".to_vec());
        assert!(child_environment([(name, OsString::from("x"))]).is_empty());
    }
}
