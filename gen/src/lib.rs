//! `graph-endpoint-gen`: typed Rust models for Microsoft Graph, generated from Graph's own
//! metadata (`https://graph.microsoft.com/v1.0/$metadata`), only for the types you name and
//! what they reference.
//!
//! ```text
//! cargo run -p graph-endpoint-gen -- --metadata v1.0.csdl managedDevice --out src/graph_models.rs
//! ```
//!
//! The binary is a thin shell over [`run`]; [`csdl`] reads the metadata, [`generate`](mod@generate) writes
//! the code, [`endpoint`] resolves `--endpoint` paths.

pub mod csdl;
pub mod endpoint;
pub mod generate;
pub mod names;

pub use csdl::Metadata;
pub use generate::{Generated, Options, generate};

use std::path::{Path, PathBuf};

/// The usage text.
pub const USAGE: &str = "\
graph-endpoint-gen: typed Microsoft Graph models from Graph's metadata

usage: graph-endpoint-gen --metadata FILE.csdl [options] TYPE...

  --metadata FILE      the CSDL document (curl https://graph.microsoft.com/v1.0/\\$metadata -o v1.0.csdl)
  --version V          the API version the metadata is of: v1.0 (default) or beta
  --out FILE           write the models there (default: standard output)
  --endpoint \"M /path\" also emit a #[graph_endpoint] definition (repeatable), e.g.
                       \"PATCH /deviceManagement/deviceConfigurations/{id}/assignments/{aid}\"
  --all                every entity and complex type of the metadata
  --all-subtypes       polymorphic enums list every subtype the metadata has
  --no-polymorphic     no polymorphic enums: structs only, each with an @odata.type field
  --with-navigation    navigation properties become fields (for $expand)
  -h, --help           this text

TYPE: deviceConfigurationAssignment, microsoft.graph.managedDevice, microsoft.graph.security.alert...
Only the types named and the types they reference are generated.

An abstract type with subtypes becomes a #[graph_endpoint::polymorphic] enum, one variant per
subtype generated. Any other type with subtypes stays a struct with @odata.type and the
subtype's own properties (subtype_properties): Graph sends a value of the type itself without
@odata.type, which a polymorphic enum cannot read.";

/// What the command line asks for.
#[derive(Debug, Clone)]
pub struct Command {
    /// `--metadata`.
    pub metadata: PathBuf,
    /// `--out`; `None` writes to standard output.
    pub out: Option<PathBuf>,
    /// Everything else.
    pub options: Options,
}

/// Parses the arguments (without the program name). `Ok(None)` is a request for help.
pub fn parse_args(args: &[String]) -> Result<Option<Command>, String> {
    let mut options = Options::default();
    let mut metadata = None;
    let mut out = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--metadata" => metadata = Some(PathBuf::from(value(arg)?)),
            "--out" => out = Some(PathBuf::from(value(arg)?)),
            "--version" => options.version = value(arg)?,
            "--endpoint" => options.endpoints.push(value(arg)?),
            "--all" => options.all_types = true,
            "--all-subtypes" => options.all_subtypes = true,
            "--no-polymorphic" => options.polymorphic = false,
            "--with-navigation" => options.with_navigation = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`\n\n{USAGE}")),
            ty => options.types.push(ty.to_string()),
        }
    }
    let metadata = metadata.ok_or_else(|| format!("`--metadata FILE.csdl` is required\n\n{USAGE}"))?;
    if options.all_subtypes && !options.polymorphic {
        return Err("`--all-subtypes` and `--no-polymorphic` exclude each other".into());
    }
    options.metadata_name = metadata.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    options.command_line = command_line(args, &metadata);
    Ok(Some(Command { metadata, out, options }))
}

/// The arguments as a shell line, with the metadata named by its file name only (so that the
/// header does not depend on where the file was downloaded to).
fn command_line(args: &[String], metadata: &Path) -> String {
    let mut words = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        words.push(quote(arg));
        if arg == "--metadata" {
            iter.next();
            words.push(quote(&metadata.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()));
        }
    }
    words.join(" ")
}

fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Reads the metadata, generates, and returns the code.
pub fn run(command: &Command) -> Result<Generated, String> {
    let xml = std::fs::read_to_string(&command.metadata)
        .map_err(|e| format!("cannot read the metadata `{}`: {e}", command.metadata.display()))?;
    let meta = Metadata::parse(&xml)?;
    let mut options = command.options.clone();
    options.metadata_digest = digest(xml.as_bytes());
    generate(&meta, &options)
}

/// `, N bytes, FNV-1a 64 …`: which download a file was generated from.
pub fn digest(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!(", {} bytes, FNV-1a {hash:016x}", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn command_lines() {
        let c =
            parse_args(&args(&["--metadata", "/tmp/x/v1.0.csdl", "managedDevice", "--endpoint", "GET /users/{id}", "--out", "src/m.rs"]))
                .unwrap()
                .unwrap();
        assert_eq!(c.options.types, ["managedDevice"]);
        assert_eq!(c.options.metadata_name, "v1.0.csdl");
        assert_eq!(c.options.command_line, "--metadata v1.0.csdl managedDevice --endpoint 'GET /users/{id}' --out src/m.rs");
        assert!(parse_args(&args(&["--help"])).unwrap().is_none());
        assert!(parse_args(&args(&["managedDevice"])).unwrap_err().contains("--metadata"));
        assert!(parse_args(&args(&["--metadata", "x", "--bogus"])).unwrap_err().contains("unknown option `--bogus`"));
    }
}
