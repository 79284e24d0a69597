//! Special files (FIFOs, sockets, devices) among the files stance reads: opening a FIFO for
//! reading blocks until a writer comes, and a device may never end, so such a file is
//! refused before it is opened.

use std::fs::{self, Metadata};
use std::io;
use std::path::Path;

/// What a file is when it is neither a regular file nor a folder (`a FIFO`, `a socket`,
/// `a device`); `None` for those two.
pub fn kind(meta: &Metadata) -> Option<&'static str> {
    let file_type = meta.file_type();
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// `Ok` when `path` (links followed) is a regular file or a folder, so opening it cannot
/// block; the error of `fs::metadata` (a missing file, say) as it is; else an
/// [`io::ErrorKind::InvalidInput`] error saying what the file is.
pub fn refuse(path: &Path) -> io::Result<()> {
    match kind(&fs::metadata(path)?) {
        None => Ok(()),
        Some(kind) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({kind})"),
        )),
    }
}
