//! Inputs: a file named on the command line, or stdin for `-` or nothing.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::walk::Found;
use crate::error::{Error, Place, Result};

/// An open input, readable as a stream.
pub struct Input {
    source: Source,
    place: Place,
    len: Option<u64>,
}

enum Source {
    // `Stdin`, not its lock, so that an input can move to a reader thread.
    Stdin(io::Stdin),
    File(File),
    Object(Box<super::s3::ObjectReader>),
}

impl Input {
    /// Opens `path`, or stdin when it is `None` or `-`.
    ///
    /// # Errors
    /// A missing or unreadable file, or a directory.
    pub fn open(path: Option<&Path>) -> Result<Input> {
        let place = Place::from_arg(path, Place::Stdin);
        if let (Place::Object(_), Some(path)) = (&place, path) {
            return Input::open_object(path, place);
        }
        let Place::File(path) = &place else {
            let stdin = super::stdio::stdin().map_err(|e| Error::io("read", &place, e))?;
            return Ok(Input {
                source: Source::Stdin(stdin),
                place,
                len: None,
            });
        };
        let file = File::open(path).map_err(|e| Error::io("open input", &place, e))?;
        Input::from_file(file, place)
    }

    fn open_object(path: &Path, place: Place) -> Result<Input> {
        let url = super::s3::ObjectUrl::from_path(path)
            .expect("an s3:// name")
            .map_err(|what| Error::Refused {
                what,
                place: place.clone(),
            })?;
        let reader = super::s3::ObjectReader::open(&url)?;
        Ok(Input::object(reader))
    }

    /// An input reading an object.
    pub fn object(reader: super::s3::ObjectReader) -> Input {
        Input {
            place: Place::Object(reader.url().to_string()),
            len: Some(reader.size()),
            source: Source::Object(Box::new(reader)),
        }
    }

    /// The object this input reads, if it is one.
    pub fn as_object(&mut self) -> Option<&mut super::s3::ObjectReader> {
        match &mut self.source {
            Source::Object(reader) => Some(reader),
            _ => None,
        }
    }

    /// Opens what a walk found (relative to its directory: see
    /// [`Found::open`]).
    ///
    /// # Errors
    /// As [`Input::open`].
    pub fn open_found(found: &Found) -> Result<Input> {
        if let Some(listed) = found.object() {
            let reader = match &listed.meta {
                Some(meta) => super::s3::ObjectReader::listed(listed.url.clone(), meta.clone())?,
                None => super::s3::ObjectReader::open(&listed.url)?,
            };
            return Ok(Input::object(reader));
        }
        let place = Place::File(found.path().to_path_buf());
        let file = found
            .open()
            .map_err(|e| Error::io("open input", &place, e))?;
        Input::from_file(file, place)
    }

    fn from_file(file: File, place: Place) -> Result<Input> {
        let meta = file
            .metadata()
            .map_err(|e| Error::io("open input", &place, e))?;
        if meta.is_dir() {
            return Err(Error::Refused {
                what: "input is a directory".into(),
                place,
            });
        }
        let len = meta.is_file().then_some(meta.len());
        Ok(Input {
            source: Source::File(file),
            place,
            len,
        })
    }

    /// Where this input comes from, for messages.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// The open file's metadata (`None` for stdin, or when fstat fails).
    pub fn metadata(&self) -> Option<std::fs::Metadata> {
        match &self.source {
            Source::File(file) => file.metadata().ok(),
            Source::Stdin(_) | Source::Object(_) => None,
        }
    }

    /// The input's size when it is a regular file.
    pub fn size(&self) -> Option<u64> {
        self.len
    }

    /// Says that no byte past `end` will be read: an object's GET then
    /// asks for no more (hexdump -s/-l). Files and streams ignore it.
    pub fn read_no_further_than(&mut self, end: u64) {
        if let Source::Object(reader) = &mut self.source {
            reader.limit_to(end);
        }
    }

    /// Skips `count` bytes: a seek on a regular file, a read elsewhere.
    /// Returns how many bytes were skipped (fewer at end of input).
    ///
    /// # Errors
    /// Read or seek errors.
    pub fn skip(&mut self, count: u64) -> Result<u64> {
        if let Source::Object(reader) = &mut self.source {
            let to = count.min(reader.size());
            reader.seek_to(to);
            return Ok(to);
        }
        if let (Source::File(file), Some(len)) = (&mut self.source, self.len) {
            let to = count.min(len);
            file.seek(SeekFrom::Start(to))
                .map_err(|e| Error::io("seek", &self.place, e))?;
            return Ok(to);
        }
        io::copy(&mut self.by_ref().take(count), &mut io::sink())
            .map_err(|e| Error::io("read", &self.place, e))
    }

    /// Positions a regular file `count` bytes before its end; returns the
    /// new position.
    ///
    /// # Errors
    /// A usage error for stdin, pipes and devices, which cannot seek back.
    pub fn skip_to_tail(&mut self, count: u64) -> Result<u64> {
        match (&mut self.source, self.len) {
            (Source::Object(reader), _) => {
                let at = reader.size().saturating_sub(count);
                reader.seek_to(at);
                Ok(at)
            }
            (Source::File(file), Some(len)) => {
                let at = len.saturating_sub(count);
                file.seek(SeekFrom::Start(at))
                    .map_err(|e| Error::io("seek", &self.place, e))?;
                Ok(at)
            }
            _ => Err(Error::Refused {
                what: "cannot seek from the end of a stream".into(),
                place: self.place.clone(),
            }),
        }
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.source {
            Source::Stdin(stdin) => stdin.read(buf),
            Source::File(file) => file.read(buf),
            Source::Object(reader) => reader.read(buf),
        }
    }
}
