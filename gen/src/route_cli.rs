//! The route subcommands:
//!
//! - `graph-endpoint-gen routes --metadata FILE_OR_URL [--version V] [--depth N] [--out FILE]`
//!   writes the routes a metadata document defines as a route file (see [`crate::routes`]);
//! - `graph-endpoint-gen route-index --list VERSION=FILE... [--source TEXT]... --out FILE`
//!   builds the binary route index the attribute embeds from route lists (`.tsv` or `.tsv.gz`).

use crate::routes::{RouteOptions, routes};
use crate::source::MetadataSource;
use graph_endpoint_template::routes::{IndexBuilder, Method, Version};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The usage text of the route subcommands.
pub const ROUTES_USAGE: &str = "\
usage: graph-endpoint-gen routes --metadata FILE_OR_URL [--version V] [--depth N] [--out FILE]
       graph-endpoint-gen route-index --list VERSION=FILE... [--source TEXT]... --out FILE

routes       the request routes the metadata defines, one `METHOD<TAB>/template<TAB>version`
             a line: entity sets, singletons, navigation (containment followed --depth steps,
             default 5; references addressed, not followed), casts to derived types and the
             navigation they add, bound actions and functions, $ref, $count, $value.
             Point GRAPH_ENDPOINT_ROUTES at the file to verify definitions against it; files of
             several versions may be concatenated.
  --version V  v1.0 or beta (default: beta when the metadata's name says so, else v1.0)
route-index  the attribute's built-in index from route lists (`METHOD<TAB>/template` files,
             gzip-compressed or not), each given as VERSION=FILE; --source lines are kept in
             the index as its provenance.
";

/// Runs `routes` or `route-index` (`args` after the subcommand's name); returns what to
/// print on success.
pub fn run(subcommand: &str, args: &[String]) -> Result<String, String> {
    let mut metadata = None;
    let mut version = None;
    let mut depth = RouteOptions::default().depth;
    let mut out = None;
    let mut lists = Vec::new();
    let mut sources = Vec::new();
    let mut refresh = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("`{flag}` needs a value\n\n{ROUTES_USAGE}"));
        match (subcommand, arg.as_str()) {
            (_, "-h" | "--help") => return Ok(ROUTES_USAGE.to_owned()),
            (_, "--out") => out = Some(PathBuf::from(value(arg)?)),
            ("routes", "--metadata") => metadata = Some(MetadataSource::parse(&value(arg)?)?),
            ("routes", "--refresh") => refresh = true,
            ("routes", "--version") => {
                let name = value(arg)?;
                version = Some(Version::from_name(&name).ok_or_else(|| format!("unknown version `{name}`: v1.0 or beta"))?);
            }
            ("routes", "--depth") => depth = value(arg)?.parse().map_err(|_| "`--depth` takes a number".to_owned())?,
            ("route-index", "--list") => {
                let list = value(arg)?;
                let (name, file) = list.split_once('=').ok_or_else(|| format!("`--list {list}`: write VERSION=FILE"))?;
                let version = Version::from_name(name).ok_or_else(|| format!("unknown version `{name}`: v1.0 or beta"))?;
                lists.push((version, PathBuf::from(file)));
            }
            ("route-index", "--source") => sources.push(value(arg)?),
            _ => return Err(format!("unknown option `{arg}`\n\n{ROUTES_USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("`--out FILE` is required\n\n{ROUTES_USAGE}"))?;
    if subcommand == "route-index" {
        return route_index(&lists, &sources, &out);
    }
    let metadata = metadata.ok_or_else(|| format!("`--metadata FILE_OR_URL` is required\n\n{ROUTES_USAGE}"))?;
    let version = version.unwrap_or(if metadata.name().contains("beta") { Version::Beta } else { Version::V1 });
    let document = metadata.load(refresh)?;
    let found = routes(&document.meta, RouteOptions { depth, ..RouteOptions::default() });
    let mut text = format!(
        "# graph-endpoint-gen routes --metadata {} --version {} --depth {depth}\n# {} routes from {}{}\nmethod\ttemplate\tversion\n",
        metadata.name(),
        version.name(),
        found.len(),
        metadata.name(),
        document.digest
    );
    for (template, method) in &found {
        text.push_str(&format!("{}\t{template}\t{}\n", method.name(), version.name()));
    }
    std::fs::write(&out, text).map_err(|e| format!("cannot write `{}`: {e}", out.display()))?;
    Ok(format!("wrote {} ({} routes)", out.display(), found.len()))
}

fn route_index(lists: &[(Version, PathBuf)], sources: &[String], out: &Path) -> Result<String, String> {
    if lists.is_empty() {
        return Err(format!("`--list VERSION=FILE` is required\n\n{ROUTES_USAGE}"));
    }
    let mut builder = IndexBuilder::new();
    for source in sources {
        builder.source(source);
    }
    let mut rows = 0;
    for (version, file) in lists {
        let text = read_list(file)?;
        for (number, line) in text.lines().enumerate().skip(1) {
            let (method, template) = line.split_once('\t').ok_or_else(|| format!("{}:{}: no tab", file.display(), number + 1))?;
            let method =
                Method::from_name(method).ok_or_else(|| format!("{}:{}: unknown method `{method}`", file.display(), number + 1))?;
            builder.add(Some(*version), method, template).map_err(|e| format!("{}:{}: {e}", file.display(), number + 1))?;
            rows += 1;
        }
    }
    let index = builder.finish();
    let bytes = index.encode();
    std::fs::write(out, &bytes).map_err(|e| format!("cannot write `{}`: {e}", out.display()))?;
    Ok(format!("wrote {} ({} bytes: {rows} rows, {} route paths)", out.display(), bytes.len(), index.route_paths()))
}

/// A route list, gunzipped when its name ends in `.gz`.
fn read_list(file: &Path) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    if file.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).map_err(|e| format!("`{}`: {e}", file.display()))?;
        Ok(text)
    } else {
        String::from_utf8(bytes).map_err(|e| format!("`{}`: {e}", file.display()))
    }
}
