//! Downloaded metadata, kept so that a URL is fetched once: `$XDG_CACHE_HOME/graph-endpoint-gen/`
//! (or `~/.cache/graph-endpoint-gen/`), one document per URL with the date it was downloaded.
//!
//! A URL's entry is two files named after it: `KEY.csdl`, the document as Graph sent it, and
//! `KEY.source`, the URL and the download date. Both are written to temporary files and renamed
//! into place, the document first: an entry without its `.source` is an interrupted download
//! and is not used.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The folder of cached downloads.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// A cached document and where it came from.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The document as downloaded.
    pub xml: String,
    /// When it was downloaded (an HTTP date: `Mon, 07 Dec 2026 09:30:00 GMT`).
    pub downloaded: String,
    /// The cached document's path.
    pub path: PathBuf,
}

impl Cache {
    /// The cache in `dir` itself.
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// `$XDG_CACHE_HOME/graph-endpoint-gen`, else `$HOME/.cache/graph-endpoint-gen`, else (on
    /// Windows) `%LOCALAPPDATA%\graph-endpoint-gen`.
    pub fn from_env() -> Result<Cache, String> {
        let var = |name: &str| std::env::var_os(name);
        Cache::from_vars(var("XDG_CACHE_HOME"), var("HOME"), var("LOCALAPPDATA"))
    }

    /// [`from_env`](Self::from_env) with the variables' values given. Empty values count as
    /// unset, and `XDG_CACHE_HOME` must be absolute, as the XDG specification says.
    pub fn from_vars(xdg_cache_home: Option<OsString>, home: Option<OsString>, local_app_data: Option<OsString>) -> Result<Cache, String> {
        let set = |value: Option<OsString>| value.filter(|v| !v.is_empty()).map(PathBuf::from);
        let base = if let Some(xdg) = set(xdg_cache_home).filter(|p| p.is_absolute()) {
            xdg
        } else if let Some(home) = set(home) {
            home.join(".cache")
        } else if let Some(local) = set(local_app_data) {
            local
        } else {
            return Err("no folder to cache downloaded metadata in: set XDG_CACHE_HOME or HOME, or download the \
                        document yourself and pass `--metadata FILE`"
                .into());
        };
        Ok(Cache::at(base.join("graph-endpoint-gen")))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The document's path for `url`: `KEY.csdl`.
    pub fn document_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.csdl", key(url)))
    }

    fn source_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.source", key(url)))
    }

    /// The cached document for `url`, if a complete entry for exactly that URL is there.
    pub fn get(&self, url: &str) -> Result<Option<Cached>, String> {
        let source = match std::fs::read_to_string(self.source_path(url)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read `{}`: {e}", self.source_path(url).display())),
        };
        let field = |name: &str| source.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')).map(str::to_string);
        // The key is a hash: a different URL with the same key is not this one's entry.
        if field("url").as_deref() != Some(url) {
            return Ok(None);
        }
        let Some(downloaded) = field("downloaded") else { return Ok(None) };
        let path = self.document_path(url);
        match std::fs::read_to_string(&path) {
            Ok(xml) => Ok(Some(Cached { xml, downloaded, path })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read the cached metadata `{}`: {e}", path.display())),
        }
    }

    /// Keeps `xml`, downloaded from `url` at `when`; returns the entry.
    pub fn put(&self, url: &str, xml: &str, when: SystemTime) -> Result<Cached, String> {
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("cannot create the cache folder `{}`: {e}", self.dir.display()))?;
        let downloaded = httpdate::fmt_http_date(when);
        let path = self.document_path(url);
        write_atomically(&path, xml.as_bytes())?;
        write_atomically(&self.source_path(url), format!("url {url}\ndownloaded {downloaded}\n").as_bytes())?;
        Ok(Cached { xml: xml.to_string(), downloaded, path })
    }
}

/// A file name for `url`: its host and path in readable form, and a hash of the whole URL so
/// that URLs differing in other ways (port, query, case) never share an entry.
pub fn key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut readable = String::new();
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            readable.push(c);
        } else if !readable.ends_with('-') {
            readable.push('-');
        }
    }
    let readable: String = readable.trim_matches('-').chars().take(80).collect();
    format!("{readable}-{:016x}", crate::fnv1a(url.as_bytes()))
}

/// Writes `bytes` to a temporary file beside `path` and renames it to `path`, so that readers
/// see the old file or the whole new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.partial", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path)).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write `{}`: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("graph-endpoint-gen-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn keys_are_readable_and_tell_urls_apart() {
        let beta = key("https://graph.microsoft.com/beta/$metadata");
        assert!(beta.starts_with("graph.microsoft.com-beta-metadata-"), "{beta}");
        assert_eq!(beta, key("https://graph.microsoft.com/beta/$metadata"), "stable");
        assert_ne!(beta, key("https://graph.microsoft.com/v1.0/$metadata"));
        assert_ne!(beta, key("https://graph.microsoft.com/Beta/$metadata"));
        assert_ne!(key("http://127.0.0.1:8080/m"), key("http://127.0.0.1:8081/m"), "the port is part of the hash");
        assert!(key(&format!("https://example.com/{}", "a/".repeat(200))).len() <= 80 + 17);
    }

    #[test]
    fn folder_from_the_environment() {
        let os = |s: &str| Some(OsString::from(s));
        let dir = |c: Result<Cache, String>| c.unwrap().dir().to_path_buf();
        assert_eq!(dir(Cache::from_vars(os("/c"), os("/h"), None)), Path::new("/c/graph-endpoint-gen"));
        assert_eq!(dir(Cache::from_vars(None, os("/h"), None)), Path::new("/h/.cache/graph-endpoint-gen"));
        assert_eq!(dir(Cache::from_vars(os(""), os("/h"), None)), Path::new("/h/.cache/graph-endpoint-gen"), "empty is unset");
        assert_eq!(dir(Cache::from_vars(os("rel"), os("/h"), None)), Path::new("/h/.cache/graph-endpoint-gen"), "relative is ignored");
        assert_eq!(dir(Cache::from_vars(None, None, os("/l"))), Path::new("/l/graph-endpoint-gen"));
        assert!(Cache::from_vars(None, None, None).unwrap_err().contains("--metadata FILE"));
    }

    #[test]
    fn entries_keep_their_url_and_date() {
        let cache = Cache::at(scratch("entries"));
        let url = "https://graph.microsoft.com/beta/$metadata";
        assert!(cache.get(url).unwrap().is_none());
        let when = UNIX_EPOCH + Duration::from_secs(1_796_640_000);
        cache.put(url, "<edmx:Edmx/>", when).unwrap();
        let cached = cache.get(url).unwrap().unwrap();
        assert_eq!(cached.xml, "<edmx:Edmx/>");
        assert_eq!(cached.downloaded, httpdate::fmt_http_date(when));
        assert_eq!(cached.path, cache.document_path(url));
        assert!(cache.get("https://graph.microsoft.com/v1.0/$metadata").unwrap().is_none(), "another URL");
        // A document without its `.source` (an interrupted download) is not an entry.
        std::fs::remove_file(cache.source_path(url)).unwrap();
        assert!(cache.get(url).unwrap().is_none());
        // Nor a `.source` naming another URL (a hash collision).
        std::fs::write(cache.source_path(url), "url https://elsewhere/\ndownloaded Thu, 01 Jan 2026 00:00:00 GMT\n").unwrap();
        assert!(cache.get(url).unwrap().is_none());
        let leftovers: Vec<_> = std::fs::read_dir(cache.dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }
}
