//! `--metadata FILE_OR_URL`: where the metadata document comes from, and reading it from
//! there (a URL through the [cache](crate::cache), downloaded when it has no copy).

use crate::cache::Cache;
use crate::csdl::Metadata;
use crate::download;
use reqwest::Url;
use std::path::PathBuf;
use std::time::SystemTime;

/// A metadata document's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataSource {
    /// A file on disk.
    File(PathBuf),
    /// An `https://` URL (or an `http://` one on loopback), as
    /// `https://graph.microsoft.com/beta/$metadata`.
    Url(Url),
}

/// A metadata document, parsed, and how it was obtained.
#[derive(Debug)]
pub struct Document {
    /// The parsed metadata.
    pub meta: Metadata,
    /// [`digest`](crate::digest) of the document as read.
    pub digest: String,
    /// Where the text came from.
    pub origin: Origin,
}

/// How a [`Document`] was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Read from a file.
    File(PathBuf),
    /// Downloaded now, and cached at `path`.
    Downloaded { url: Url, date: String, path: PathBuf },
    /// A copy downloaded earlier, on `date`, cached at `path`.
    Cached { url: Url, date: String, path: PathBuf },
}

impl MetadataSource {
    /// A URL if `text` has a scheme (`https://…`), a file otherwise.
    pub fn parse(text: &str) -> Result<MetadataSource, String> {
        if !text.contains("://") {
            return Ok(MetadataSource::File(PathBuf::from(text)));
        }
        let url = Url::parse(text).map_err(|e| format!("`{text}` is no URL: {e}"))?;
        download::allowed(&url)?;
        Ok(MetadataSource::Url(url))
    }

    /// The name the generated file's header gives the metadata: a file's name (not where it
    /// was downloaded to), or the whole URL.
    pub fn name(&self) -> String {
        match self {
            MetadataSource::File(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            MetadataSource::Url(url) => url.to_string(),
        }
    }

    /// Reads and parses the document; a URL's from the cache in `$XDG_CACHE_HOME` (or
    /// `~/.cache`), downloading it first if there is no copy or `refresh` is set.
    pub fn load(&self, refresh: bool) -> Result<Document, String> {
        match self {
            MetadataSource::File(_) => self.load_with(None, refresh),
            MetadataSource::Url(_) => self.load_with(Some(&Cache::from_env()?), refresh),
        }
    }

    /// [`load`](Self::load) with the cache given (needed for a URL).
    pub fn load_with(&self, cache: Option<&Cache>, refresh: bool) -> Result<Document, String> {
        match self {
            MetadataSource::File(path) => {
                let xml = std::fs::read_to_string(path).map_err(|e| format!("cannot read the metadata `{}`: {e}", path.display()))?;
                let meta = Metadata::parse(&xml).map_err(|e| format!("`{}`: {e}", path.display()))?;
                Ok(Document { meta, digest: crate::digest(xml.as_bytes()), origin: Origin::File(path.clone()) })
            }
            MetadataSource::Url(url) => {
                let cache = cache.ok_or("metadata from a URL needs a cache folder")?;
                if !refresh && let Some(cached) = cache.get(url.as_str())? {
                    let meta = Metadata::parse(&cached.xml).map_err(|e| {
                        format!("the cached copy of `{url}` (`{}`): {e}; `--refresh` downloads it again", cached.path.display())
                    })?;
                    let origin = Origin::Cached { url: url.clone(), date: cached.downloaded, path: cached.path };
                    return Ok(Document { meta, digest: crate::digest(cached.xml.as_bytes()), origin });
                }
                let bytes = download::download(url)?;
                let xml = String::from_utf8(bytes).map_err(|e| format!("the answer from `{url}` is not UTF-8 text: {e}"))?;
                // Only a document that parses is kept: an error page is not cached as metadata.
                let meta = Metadata::parse(&xml).map_err(|e| {
                    // `$metadata` unquoted in a shell is expanded to nothing.
                    let hint = if url.path().contains("$metadata") {
                        ""
                    } else {
                        " (Graph's is at `https://graph.microsoft.com/v1.0/$metadata`; quote the URL so that a shell keeps `$metadata`)"
                    };
                    format!("the answer from `{url}` is no CSDL metadata document: {e}{hint}")
                })?;
                let cached = cache.put(url.as_str(), &xml, SystemTime::now())?;
                let origin = Origin::Downloaded { url: url.clone(), date: cached.downloaded, path: cached.path };
                Ok(Document { meta, digest: crate::digest(xml.as_bytes()), origin })
            }
        }
    }
}

impl Origin {
    /// What to tell the user about a download or a cached copy; nothing for a file.
    pub fn message(&self) -> Option<String> {
        match self {
            Origin::File(_) => None,
            Origin::Downloaded { url, path, .. } => Some(format!("downloaded {url}, cached as {}", path.display())),
            Origin::Cached { url, date, path } => {
                Some(format!("using {url} as downloaded on {date} (cached as {}; --refresh downloads it again)", path.display()))
            }
        }
    }

    /// The download date, for the generated file's header.
    pub fn date(&self) -> Option<&str> {
        match self {
            Origin::File(_) => None,
            Origin::Downloaded { date, .. } | Origin::Cached { date, .. } => Some(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_urls() {
        assert_eq!(MetadataSource::parse("v1.0.csdl").unwrap(), MetadataSource::File("v1.0.csdl".into()));
        assert_eq!(MetadataSource::parse("/tmp/x/beta.csdl").unwrap().name(), "beta.csdl");
        let beta = MetadataSource::parse("https://graph.microsoft.com/beta/$metadata").unwrap();
        assert!(matches!(&beta, MetadataSource::Url(url) if url.host_str() == Some("graph.microsoft.com")));
        assert_eq!(beta.name(), "https://graph.microsoft.com/beta/$metadata");
        assert!(MetadataSource::parse("http://127.0.0.1:1234/$metadata").is_ok());
        assert!(MetadataSource::parse("http://graph.microsoft.com/beta/$metadata").unwrap_err().contains("https://"));
        assert!(MetadataSource::parse("https://").unwrap_err().contains("is no URL"));
    }
}
