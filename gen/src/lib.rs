//! `graph-endpoint-gen`: typed Rust models for Microsoft Graph, generated from Graph's own
//! metadata (`https://graph.microsoft.com/v1.0/$metadata`), only for the types you name and
//! what they reference.
//!
//! ```text
//! cargo install graph-endpoint-gen
//! graph-endpoint-gen --metadata 'https://graph.microsoft.com/v1.0/$metadata' managedDevice --out src/graph_models.rs
//! ```
//!
//! The binary is a thin shell over [`parse_args`], [`MetadataSource::load`] and [`run`];
//! [`source`] reads the metadata from a file or a URL ([`download`], kept in the [`cache`]),
//! [`csdl`] parses it, [`generate`](mod@generate) writes the code, [`endpoint`] resolves
//! `--endpoint` paths.

pub mod cache;
pub mod csdl;
mod cycles;
mod docs;
pub mod download;
pub mod endpoint;
mod enums;
pub mod generate;
pub mod names;
mod poly;
pub mod route_cli;
pub mod routes;
pub mod source;
mod structs;

pub use docs::description_lines;

pub use csdl::Metadata;
pub use generate::{Generated, Options, generate};
pub use source::{Document, MetadataSource, Origin};

use std::path::PathBuf;

/// The usage text.
pub const USAGE: &str = "\
graph-endpoint-gen: typed Microsoft Graph models from Graph's metadata

usage: graph-endpoint-gen --metadata FILE_OR_URL [options] TYPE...
       graph-endpoint-gen routes --metadata FILE_OR_URL --out FILE   (see `routes --help`)

  --metadata FILE|URL  the CSDL document: a file, or a URL such as
                       'https://graph.microsoft.com/v1.0/$metadata' (or .../beta/$metadata),
                       downloaded once and cached with its date in
                       $XDG_CACHE_HOME/graph-endpoint-gen (or ~/.cache/graph-endpoint-gen)
  --refresh            download the URL again instead of using the cached copy
  --version V          the API version the metadata is of, and the generated endpoints': v1.0
                       or beta (default: beta when the metadata's name says so, else v1.0)
  --out FILE           write the models there (default: standard output)
  --endpoint \"M /path\" also emit a #[graph_endpoint] definition (repeatable), e.g.
                       \"PATCH /deviceManagement/deviceConfigurations/{id}/assignments/{aid}\";
                       bound actions (POST .../{id}/assign) and functions
                       (GET /reports/getX(period='{period}')) too
  --strict             no `additional` map: a property the metadata does not declare is an
                       error when read (open types keep the map)
  --all                every entity and complex type of the metadata
  --all-subtypes       polymorphic enums list every subtype the metadata has
  --no-polymorphic     no polymorphic enums: structs only, each with an @odata.type field
  --with-navigation    navigation properties become fields (for $expand)
  -h, --help           this text

TYPE: deviceConfigurationAssignment, microsoft.graph.managedDevice, microsoft.graph.security.alert...
Only the types named and the types they reference are generated.

A type with subtypes becomes a #[graph_endpoint::polymorphic] enum: one variant per subtype
generated, `Base` for a type that is not abstract (read from an object without @odata.type),
`Other` with the base's properties typed, and accessors (id(), display_name()...) for what every
variant has. Every struct keeps undeclared properties and explicit nulls in `additional` and
instance annotations in `annotations`, so what is read is written back unchanged.";

/// What the command line asks for.
#[derive(Debug, Clone)]
pub struct Command {
    /// `--metadata`.
    pub metadata: MetadataSource,
    /// `--refresh`: download a URL again even if it is cached.
    pub refresh: bool,
    /// `--out`; `None` writes to standard output.
    pub out: Option<PathBuf>,
    /// Everything else.
    pub options: Options,
}

/// Parses the arguments (without the program name). `Ok(None)` is a request for help.
pub fn parse_args(args: &[String]) -> Result<Option<Command>, String> {
    let mut options = Options::default();
    let mut metadata = None;
    let mut refresh = false;
    let mut out = None;
    let mut version = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--metadata" => metadata = Some(MetadataSource::parse(&value(arg)?)?),
            "--refresh" => refresh = true,
            "--out" => out = Some(PathBuf::from(value(arg)?)),
            "--version" => version = Some(value(arg)?),
            "--endpoint" => options.endpoints.push(value(arg)?),
            "--all" => options.all_types = true,
            "--all-subtypes" => options.all_subtypes = true,
            "--no-polymorphic" => options.polymorphic = false,
            "--with-navigation" => options.with_navigation = true,
            "--strict" => options.strict = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`\n\n{USAGE}")),
            ty => options.types.push(ty.to_string()),
        }
    }
    let metadata = metadata.ok_or_else(|| format!("`--metadata FILE_OR_URL` is required\n\n{USAGE}"))?;
    // Without `--version`, a beta document (`.../beta/$metadata`, `beta.csdl`) means beta.
    options.version = version.unwrap_or_else(|| if metadata.name().contains("beta") { "beta".into() } else { "v1.0".into() });
    if options.all_subtypes && !options.polymorphic {
        return Err("`--all-subtypes` and `--no-polymorphic` exclude each other".into());
    }
    options.metadata_name = metadata.name();
    options.command_line = command_line(args, &metadata);
    Ok(Some(Command { metadata, refresh, out, options }))
}

/// The arguments as a shell line, with a metadata file named by its file name only (so that
/// the header does not depend on where the file was downloaded to), and without `--refresh`
/// (which changes where the document is read from, not what is generated).
fn command_line(args: &[String], metadata: &MetadataSource) -> String {
    let mut words = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--refresh" => {}
            "--metadata" => {
                iter.next();
                words.push(quote(arg));
                words.push(quote(&metadata.name()));
            }
            _ => words.push(quote(arg)),
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

/// Generates the code `command` asks for from `document` (read with
/// [`MetadataSource::load`]).
pub fn run(command: &Command, document: &Document) -> Result<Generated, String> {
    let mut options = command.options.clone();
    options.metadata_digest = document.digest.clone();
    if let Some(date) = document.origin.date() {
        options.metadata_digest.push_str(&format!(", downloaded {date}"));
    }
    generate(&document.meta, &options)
}

/// `, N bytes, FNV-1a 64 …`: which download a file was generated from.
pub fn digest(bytes: &[u8]) -> String {
    format!(", {} bytes, FNV-1a {:016x}", bytes.len(), fnv1a(bytes))
}

/// The 64-bit FNV-1a hash: a document's fingerprint, a cache entry's name.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
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

    #[test]
    fn metadata_from_a_url() {
        let c = parse_args(&args(&["--metadata", "https://graph.microsoft.com/beta/$metadata", "--refresh", "--version", "beta", "user"]))
            .unwrap()
            .unwrap();
        assert!(c.refresh);
        assert_eq!(c.options.metadata_name, "https://graph.microsoft.com/beta/$metadata");
        // The URL as given, quoted for a shell; `--refresh` is no part of what is generated.
        assert_eq!(c.options.command_line, "--metadata 'https://graph.microsoft.com/beta/$metadata' --version beta user");
        assert!(!parse_args(&args(&["--metadata", "v1.0.csdl", "user"])).unwrap().unwrap().refresh);
        // The version follows a beta document unless given.
        assert_eq!(
            parse_args(&args(&["--metadata", "https://graph.microsoft.com/beta/$metadata", "user"])).unwrap().unwrap().options.version,
            "beta"
        );
        assert_eq!(parse_args(&args(&["--metadata", "v1.0.csdl", "user"])).unwrap().unwrap().options.version, "v1.0");
        assert_eq!(parse_args(&args(&["--metadata", "beta.csdl", "--version", "v1.0", "user"])).unwrap().unwrap().options.version, "v1.0");
        let refused = parse_args(&args(&["--metadata", "http://graph.microsoft.com/beta/$metadata", "user"])).unwrap_err();
        assert!(refused.contains("use `https://`"), "{refused}");
    }
}
