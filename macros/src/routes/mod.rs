//! Graph's routes, as the attribute checks definitions against them: the index built into the
//! crate (`graph-routes.idx`, from the route lists of Microsoft's Graph SDKs; rebuilt by
//! `scripts/route_index.sh`), or the user's route file named by `GRAPH_ENDPOINT_ROUTES`. Read
//! once per compiler process, on the first definition that needs it.

#[cfg(test)]
mod lists;
#[cfg(test)]
mod tests;
mod warn;

pub use warn::{Checked, route_warnings};

use graph_endpoint_template::routes::RouteIndex;
use proc_macro2::TokenStream;
use quote::quote;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The built-in index (its sources and commits are inside: `RouteIndex::sources`).
const BUILT_IN: &[u8] = include_bytes!("graph-routes.idx");

/// The variable naming a user's route file.
pub const ROUTES_VAR: &str = "GRAPH_ENDPOINT_ROUTES";

/// The index definitions are checked against, and what it is.
pub struct Routes {
    /// `None` only if the built-in index could not be read (then nothing is checked).
    pub index: Option<RouteIndex>,
    /// The user's route file, absolute, when one is used.
    pub file: Option<PathBuf>,
    /// Why the user's route file is not used, when `GRAPH_ENDPOINT_ROUTES` names one that
    /// cannot be read.
    pub problem: Option<String>,
}

/// The routes of this compiler process.
pub fn routes() -> &'static Routes {
    static ROUTES: OnceLock<Routes> = OnceLock::new();
    ROUTES.get_or_init(load)
}

fn load() -> Routes {
    load_from(std::env::var_os(ROUTES_VAR))
}

/// The routes for a value of `GRAPH_ENDPOINT_ROUTES`.
fn load_from(variable: Option<std::ffi::OsString>) -> Routes {
    let built_in = || RouteIndex::decode(BUILT_IN).ok();
    let Some(name) = variable.filter(|v| !v.is_empty()) else {
        return Routes { index: built_in(), file: None, problem: None };
    };
    let path = absolute(Path::new(&name));
    let read = std::fs::read_to_string(&path).map_err(|e| format!("cannot read it: {e}")).and_then(|text| {
        RouteIndex::from_route_file(&text, &format!("{ROUTES_VAR}={}", path.display())).map_err(|problems| problems.join("; "))
    });
    match read {
        Ok(index) => Routes { index: Some(index), file: Some(path), problem: None },
        Err(problem) => Routes {
            index: built_in(),
            file: None,
            problem: Some(format!("{ROUTES_VAR}={}: {problem}; definitions are checked against the built-in index", path.display())),
        },
    }
}

/// A relative route file is the crate's: relative to its `Cargo.toml`, as cargo runs the
/// compiler from elsewhere; failing that, relative to where the compiler runs.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_owned();
    }
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(|dir| Path::new(&dir).join(path));
    let current = std::env::current_dir().map(|dir| dir.join(path)).ok();
    match (manifest, current) {
        (Some(manifest), _) if manifest.is_file() => manifest,
        (_, Some(current)) if current.is_file() => current,
        (Some(manifest), _) => manifest,
        (None, current) => current.unwrap_or_else(|| path.to_owned()),
    }
}

/// What makes cargo rebuild a crate when its routes change: `option_env!` puts
/// `GRAPH_ENDPOINT_ROUTES` into the compiler's dependency info (set, unset or changed, the
/// crate is rebuilt), `include_bytes!` the route file. Emitted by the first definition of each
/// compiler process only: once per crate is enough, and the file is not read again.
pub fn tracking() -> TokenStream {
    static EMITTED: AtomicBool = AtomicBool::new(false);
    if EMITTED.swap(true, Ordering::Relaxed) {
        return TokenStream::new();
    }
    tracking_of(routes())
}

fn tracking_of(routes: &Routes) -> TokenStream {
    let file = routes.file.as_ref().and_then(|path| path.to_str()).map(|path| quote!(let _ = ::core::include_bytes!(#path);));
    quote! {
        const _: () = {
            let _ = ::core::option_env!(#ROUTES_VAR);
            #file
        };
    }
}
