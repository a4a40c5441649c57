//! Reading a small file that the environment names (a federated token, a certificate) without
//! blocking the async runtime: at most a given number of bytes, within a given time, whatever
//! the path names.
//!
//! The path comes from the environment: a FIFO that nobody writes would block `open` and
//! `read` forever, a device or a huge file would be read without end. So the file is opened
//! non-blocking (a FIFO's `open` returns at once), a regular file is read on the blocking pool
//! with a bound, a FIFO is read through the runtime's reactor (waiting for a writer holds no
//! thread), anything else is refused, and the whole read is bounded in time.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a small file could not be read.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    /// Opening or reading failed, or the path names neither a regular file nor a FIFO.
    Io(std::io::Error),
    /// The file holds more than the limit.
    TooLarge,
    /// Nothing (or not all of it) could be read within the time given.
    TimedOut,
}

/// The bytes of the file at `path`, at most `limit` of them, read within `timeout`.
pub(crate) async fn read_small_file(path: &Path, limit: usize, timeout: Duration) -> Result<Vec<u8>, ReadFailure> {
    let bytes = tokio::time::timeout(timeout, read_bounded(path.to_owned(), limit))
        .await
        .map_err(|_| ReadFailure::TimedOut)?
        .map_err(ReadFailure::Io)?;
    if bytes.len() > limit {
        return Err(ReadFailure::TooLarge);
    }
    Ok(bytes)
}

/// What opening the file found: a regular file's bytes (read on the blocking pool), or a FIFO
/// to read through the reactor.
enum Opened {
    Read(Vec<u8>),
    #[cfg(unix)]
    Fifo(std::fs::File),
}

/// Up to one byte more than `limit`, so that a longer file is told from one that fits.
async fn read_bounded(path: PathBuf, limit: usize) -> std::io::Result<Vec<u8>> {
    let opened = tokio::task::spawn_blocking(move || open(&path, limit)).await.map_err(std::io::Error::other)??;
    match opened {
        Opened::Read(bytes) => Ok(bytes),
        #[cfg(unix)]
        Opened::Fifo(file) => read_fifo(file, limit).await,
    }
}

/// Opens without blocking (`O_NONBLOCK` on Unix, which a regular file ignores) and reads a
/// regular file.
fn open(path: &Path, limit: usize) -> std::io::Result<Opened> {
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
    file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(Opened::Read(bytes))
}

/// Reads a FIFO until its writer closes it, or past `limit`. Waiting for a writer, or for the
/// writer's next bytes, holds no thread.
#[cfg(unix)]
async fn read_fifo(file: std::fs::File, limit: usize) -> std::io::Result<Vec<u8>> {
    let fifo = tokio::net::unix::pipe::Receiver::from_file(file)?;
    let mut bytes = Vec::new();
    let mut chunk = [0; 4096];
    while bytes.len() <= limit {
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

    fn temp_file(contents: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("graph-endpoint-small-file-{}", uuid::Uuid::new_v4()));
        std::fs::write(&path, contents).unwrap();
        path
    }

    #[tokio::test]
    async fn a_file_of_the_limit_is_read_one_byte_more_is_too_large() {
        let fits = temp_file(&[b'a'; 100]);
        assert_eq!(read_small_file(&fits, 100, Duration::from_secs(10)).await.unwrap().len(), 100);
        let long = temp_file(&[b'a'; 101]);
        assert!(matches!(read_small_file(&long, 100, Duration::from_secs(10)).await, Err(ReadFailure::TooLarge)));
        let missing = std::env::temp_dir().join(format!("graph-endpoint-small-file-{}", uuid::Uuid::new_v4()));
        let Err(ReadFailure::Io(error)) = read_small_file(&missing, 100, Duration::from_secs(10)).await else { panic!("no such file") };
        assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
        for path in [fits, long] {
            std::fs::remove_file(path).unwrap();
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_directory_is_refused() {
        let Err(ReadFailure::Io(error)) = read_small_file(&std::env::temp_dir(), 100, Duration::from_secs(10)).await else {
            panic!("a directory is not read")
        };
        assert_eq!(error.to_string(), "it is not a regular file");
    }
}
