//! Reading a federated token file without blocking the async runtime: at most
//! [`TOKEN_FILE_LIMIT`] bytes, within the credential's timeout, whatever the path names.
//!
//! A projected service account token is a small regular file, but the path comes from the
//! environment: a FIFO that nobody writes would block `open` and `read` forever, a device or a
//! huge file would be read without end. So the file is opened non-blocking (a FIFO's `open`
//! returns at once), a regular file is read on the blocking pool with a bound, a FIFO is read
//! through the runtime's reactor (waiting for a writer holds no thread), anything else is
//! refused, and the whole read is bounded by the caller's timeout.

use crate::error::Error;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The most a token file may hold: a service account token is a JWT of one or two KiB.
pub(crate) const TOKEN_FILE_LIMIT: usize = 64 * 1024;

/// The text of the federated token file at `path`, trimmed, read within `timeout`.
pub(crate) async fn read_token_file(path: &Path, timeout: Duration) -> Result<String, Error> {
    let shown = path.display();
    let bytes = match tokio::time::timeout(timeout, read_bounded(path.to_owned())).await {
        Ok(read) => read.map_err(|e| Error::auth(format!("the federated token file {shown} cannot be read: {e}")).with_source(e))?,
        Err(_) => {
            return Err(Error::timeout(format!(
                "the federated token file {shown} could not be read within {:.1} s",
                timeout.as_secs_f64()
            )));
        }
    };
    if bytes.len() > TOKEN_FILE_LIMIT {
        return Err(Error::auth(format!("the federated token file {shown} is larger than {} KiB", TOKEN_FILE_LIMIT / 1024)));
    }
    let text = String::from_utf8(bytes).map_err(|_| Error::auth(format!("the federated token file {shown} is not UTF-8 text")))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Error::auth(format!("the federated token file {shown} is empty")));
    }
    Ok(token.to_owned())
}

/// What opening the file found: a regular file's bytes (read on the blocking pool), or a FIFO
/// to read through the reactor.
enum Opened {
    Read(Vec<u8>),
    #[cfg(unix)]
    Fifo(std::fs::File),
}

/// Up to one byte more than the limit, so that a longer file is told from one that fits.
async fn read_bounded(path: PathBuf) -> std::io::Result<Vec<u8>> {
    let opened = tokio::task::spawn_blocking(move || open(&path)).await.map_err(std::io::Error::other)??;
    match opened {
        Opened::Read(bytes) => Ok(bytes),
        #[cfg(unix)]
        Opened::Fifo(file) => read_fifo(file).await,
    }
}

/// Opens without blocking (`O_NONBLOCK` on Unix, which a regular file ignores) and reads a
/// regular file.
fn open(path: &Path) -> std::io::Result<Opened> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let kind = file.metadata()?.file_type();
    #[cfg(unix)]
    if std::os::unix::fs::FileTypeExt::is_fifo(&kind) {
        return Ok(Opened::Fifo(file));
    }
    if !kind.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(TOKEN_FILE_LIMIT as u64 + 1).read_to_end(&mut bytes)?;
    Ok(Opened::Read(bytes))
}

/// Reads a FIFO until its writer closes it, or past the limit. Waiting for a writer, or for
/// the writer's next bytes, holds no thread.
#[cfg(unix)]
async fn read_fifo(file: std::fs::File) -> std::io::Result<Vec<u8>> {
    let fifo = tokio::net::unix::pipe::Receiver::from_file(file)?;
    let mut bytes = Vec::new();
    let mut chunk = [0; 4096];
    while bytes.len() <= TOKEN_FILE_LIMIT {
        fifo.readable().await?;
        match fifo.try_read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("graph-endpoint-token-file-{}-{name}", uuid::Uuid::new_v4()));
        std::fs::write(&path, contents).unwrap();
        path
    }

    #[tokio::test]
    async fn a_file_of_the_limit_is_read_one_byte_more_is_refused() {
        let fits = temp_file("fits", &vec![b'a'; TOKEN_FILE_LIMIT]);
        assert_eq!(read_token_file(&fits, Duration::from_secs(10)).await.unwrap().len(), TOKEN_FILE_LIMIT);
        let long = temp_file("long", &vec![b'a'; TOKEN_FILE_LIMIT + 1]);
        let error = read_token_file(&long, Duration::from_secs(10)).await.unwrap_err();
        assert!(error.message().contains("larger than 64 KiB"), "{error}");
        let text = temp_file("text", b"  eyJ0eXAi.federated\n");
        assert_eq!(read_token_file(&text, Duration::from_secs(10)).await.unwrap(), "eyJ0eXAi.federated");
        let binary = temp_file("binary", &[0xff, 0xfe, 0x00]);
        assert!(read_token_file(&binary, Duration::from_secs(10)).await.unwrap_err().message().contains("not UTF-8"));
        for path in [fits, long, text, binary] {
            std::fs::remove_file(path).unwrap();
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_directory_is_refused() {
        let error = read_token_file(&std::env::temp_dir(), Duration::from_secs(10)).await.unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Auth);
        assert!(error.message().contains("not a regular file"), "{error}");
    }
}
