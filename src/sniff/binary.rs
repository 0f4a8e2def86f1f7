//! Programs judged by their headers, as libmagic judges them: ELF by its
//! type and, for `ET_DYN`, by the `DF_1_PIE` flag of its dynamic section
//! (file 5.44 calls an `ET_DYN` without it a shared object, whatever its
//! mode or `PT_INTERP`: so it does libc.so.6); PE by the `PE\0\0`
//! signature wherever the DOS header's `e_lfanew` points; `0xCAFEBABE` as a
//! universal (fat) Mach-O or a Java class by the number that follows.
//!
//! What lies past the head is read through a [`Source`]: a file seeks, a
//! stream answers from what it has buffered.

use std::io;

/// Where the bytes of the object being sniffed are, for reads past the
/// head.
pub trait Source {
    /// Reads at most `buf.len()` bytes at `offset`; fewer (or 0) at the
    /// end, or beyond what the source can reach.
    ///
    /// # Errors
    /// Read errors.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;

    /// The size, if known without reading on.
    fn known_size(&self) -> Option<u64>;

    /// How much a scan through the whole source (a PDF's) reads at a time:
    /// 60 KiB for a stream (its window of what it read last holds 64 KiB),
    /// more where reads are positional (a file, an object, where a
    /// request per 60 KiB was hundreds for a 20 MiB PDF).
    fn scan_chunk(&self) -> usize {
        60 * 1024
    }

    /// The size, reading a stream to its end to learn it.
    ///
    /// # Errors
    /// Read errors.
    fn size(&mut self) -> io::Result<Option<u64>> {
        Ok(self.known_size())
    }
}

/// A source that is only the bytes it was given (a stream's buffer).
pub struct Bytes<'a>(pub &'a [u8]);

impl Source for Bytes<'_> {
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let Ok(start) = usize::try_from(offset) else {
            return Ok(0);
        };
        let have = self.0.get(start..).unwrap_or_default();
        let n = have.len().min(buf.len());
        buf[..n].copy_from_slice(&have[..n]);
        Ok(n)
    }

    fn known_size(&self) -> Option<u64> {
        Some(self.0.len() as u64)
    }
}

impl Source for std::fs::File {
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            match FileExt::read_at(self, &mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    fn known_size(&self) -> Option<u64> {
        self.metadata().ok().map(|m| m.len())
    }

    fn scan_chunk(&self) -> usize {
        1 << 20
    }
}

impl Source for crate::io::s3::ObjectReader {
    /// A ranged GET of exactly the bytes asked for (with `If-Match`), so
    /// an object is read no further than a file would be.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let bytes = self
            .read_range(offset, offset.saturating_add(buf.len() as u64))
            .map_err(crate::io::s3::to_io)?;
        buf[..bytes.len()].copy_from_slice(&bytes);
        Ok(bytes.len())
    }

    fn known_size(&self) -> Option<u64> {
        Some(self.size())
    }

    fn scan_chunk(&self) -> usize {
        1 << 20
    }
}

/// The most of an ELF's program headers or dynamic section read.
const TABLE_LIMIT: usize = 64 * 1024;

/// The ELF, PE or `CAFEBABE` type of an object whose head is `head`, or
/// `None` when it is none of them.
///
/// # Errors
/// Read errors of `src`.
pub fn program_type(head: &[u8], src: &mut dyn Source) -> io::Result<Option<&'static str>> {
    if head.starts_with(b"\x7fELF") {
        return elf(head, src).map(Some);
    }
    // DOS loads a program marked `ZM` as one marked `MZ`.
    if head.starts_with(b"MZ") || head.starts_with(b"ZM") {
        return pe(head, src);
    }
    if head.starts_with(b"\xca\xfe\xba\xbe") && head.len() >= 8 {
        let n = u32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        // A fat Mach-O counts its architectures (a handful); a Java class
        // has its version there (major 45 and up).
        return Ok(match n {
            1..=30 => Some("application/x-mach-binary"),
            31..=44 => None,
            _ => Some("application/x-java-applet"),
        });
    }
    Ok(None)
}

/// Reads `len` bytes of `src` at `offset` (fewer at its end), into a
/// buffer no larger than what is there: most files are small, and a zeroed
/// megabyte for each costs more than reading it. (A file whose size says
/// 0, as /proc's do, still gets 64 KiB.)
///
/// # Errors
/// Read errors of `src`.
pub fn read_at(src: &mut dyn Source, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let len = src.known_size().map_or(len, |size| {
        let there = usize::try_from(size.saturating_sub(offset)).unwrap_or(usize::MAX);
        len.min(there.max(64 * 1024))
    });
    let mut buf = vec![0; len];
    let n = src.read_at(offset, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// A header's integers, in the ELF's byte order and word size.
struct Layout {
    big: bool,
    wide: bool,
}

impl Layout {
    fn u16(&self, b: &[u8], at: usize) -> Option<u64> {
        let b: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(u64::from(if self.big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }))
    }

    fn u32(&self, b: &[u8], at: usize) -> Option<u64> {
        let b: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(u64::from(if self.big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }))
    }

    fn u64(&self, b: &[u8], at: usize) -> Option<u64> {
        let b: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
        Some(if self.big {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }

    /// A word: 8 bytes in a 64-bit ELF, 4 in a 32-bit one.
    fn word(&self, b: &[u8], at: usize) -> Option<u64> {
        if self.wide {
            self.u64(b, at)
        } else {
            self.u32(b, at)
        }
    }
}

/// `ET_REL`, `ET_EXEC`, `ET_DYN` (PIE or shared library) or `ET_CORE`.
fn elf(head: &[u8], src: &mut dyn Source) -> io::Result<&'static str> {
    let layout = Layout {
        big: head.get(5) == Some(&2),
        wide: head.get(4) == Some(&2),
    };
    Ok(match layout.u16(head, 16) {
        Some(1) => "application/x-object",
        Some(2) => "application/x-executable",
        Some(3) if pie_flag(&layout, head, src)? == Some(true) => "application/x-pie-executable",
        Some(3) => "application/x-sharedlib",
        Some(4) => "application/x-coredump",
        _ => "application/octet-stream",
    })
}

/// Whether the dynamic section's `DT_FLAGS_1` has `DF_1_PIE`; `None` when
/// there is no such entry (or no dynamic section within reach).
fn pie_flag(layout: &Layout, head: &[u8], src: &mut dyn Source) -> io::Result<Option<bool>> {
    const PT_DYNAMIC: u64 = 2;
    const DT_FLAGS_1: u64 = 0x6fff_fffb;
    const DF_1_PIE: u64 = 0x0800_0000;
    let fields = if layout.wide {
        (
            layout.u64(head, 32),
            layout.u16(head, 54),
            layout.u16(head, 56),
        )
    } else {
        (
            layout.u32(head, 28),
            layout.u16(head, 42),
            layout.u16(head, 44),
        )
    };
    let (Some(phoff), Some(entsize), Some(count)) = fields else {
        return Ok(None);
    };
    let (entsize, count) = (entsize as usize, count as usize);
    let min_entry = if layout.wide { 56 } else { 32 };
    if entsize < min_entry || entsize * count > TABLE_LIMIT {
        return Ok(None);
    }
    let table = read_at(src, phoff, entsize * count)?;
    let dynamic = table.chunks_exact(entsize).find_map(|ph| {
        (layout.u32(ph, 0)? == PT_DYNAMIC).then(|| {
            if layout.wide {
                Some((layout.u64(ph, 8)?, layout.u64(ph, 32)?))
            } else {
                Some((layout.u32(ph, 4)?, layout.u32(ph, 16)?))
            }
        })?
    });
    let Some((offset, size)) = dynamic else {
        return Ok(None);
    };
    let len = usize::try_from(size).unwrap_or(usize::MAX).min(TABLE_LIMIT);
    let entries = read_at(src, offset, len)?;
    let step = if layout.wide { 16 } else { 8 };
    for entry in entries.chunks_exact(step) {
        let (Some(tag), Some(value)) = (layout.word(entry, 0), layout.word(entry, step / 2)) else {
            break;
        };
        match tag {
            0 => break,
            DT_FLAGS_1 => return Ok(Some(value & DF_1_PIE != 0)),
            _ => {}
        }
    }
    Ok(None)
}

/// `MZ`: a PE when `e_lfanew` points at `PE\0\0` anywhere in the object;
/// else an MS-DOS program when the head is a plausible DOS header (not
/// text that happens to start with "MZ").
fn pe(head: &[u8], src: &mut dyn Source) -> io::Result<Option<&'static str>> {
    // The PE header may overlap the DOS header (a tiny PE puts it at 4..).
    if let Some(field) = head.get(0x3C..0x40) {
        let lfanew = u32::from_le_bytes([field[0], field[1], field[2], field[3]]);
        if lfanew >= 4 && read_at(src, u64::from(lfanew), 4)? == b"PE\0\0" {
            return Ok(Some("application/vnd.microsoft.portable-executable"));
        }
    }
    // Otherwise an MS-DOS program, as libmagic's binary-only `MZ` test
    // has it: an `MZ` file that is not text.
    let binary = head[..head.len().min(0x40)]
        .iter()
        .any(|&b| b < 0x07 || (0x0e..0x1b).contains(&b) || (0x1c..0x20).contains(&b));
    Ok(binary.then_some("application/x-dosexec"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 64-bit little-endian ELF of type `e_type`, with one PT_DYNAMIC
    /// program header whose section (at `dyn_at`) holds `dynamic`.
    fn elf64(e_type: u16, dynamic: &[(u64, u64)], dyn_at: usize) -> Vec<u8> {
        let mut b = vec![0u8; dyn_at + 16 * (dynamic.len() + 1)];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = 2;
        b[5] = 1;
        b[16..18].copy_from_slice(&e_type.to_le_bytes());
        b[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
        b[54..56].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
        b[56..58].copy_from_slice(&1u16.to_le_bytes()); // e_phnum
        b[64..68].copy_from_slice(&2u32.to_le_bytes()); // PT_DYNAMIC
        b[72..80].copy_from_slice(&(dyn_at as u64).to_le_bytes());
        let size = 16 * (dynamic.len() as u64 + 1);
        b[96..104].copy_from_slice(&size.to_le_bytes());
        for (i, (tag, value)) in dynamic.iter().enumerate() {
            let at = dyn_at + 16 * i;
            b[at..at + 8].copy_from_slice(&tag.to_le_bytes());
            b[at + 8..at + 16].copy_from_slice(&value.to_le_bytes());
        }
        b
    }

    #[test]
    fn elf_types_as_libmagic_names_them() {
        let kind = |b: &[u8]| program_type(&b[..b.len().min(8192)], &mut Bytes(b)).unwrap();
        assert_eq!(kind(&elf64(1, &[], 4096)), Some("application/x-object"));
        assert_eq!(kind(&elf64(2, &[], 4096)), Some("application/x-executable"));
        assert_eq!(kind(&elf64(4, &[], 4096)), Some("application/x-coredump"));
        // DT_FLAGS_1 with DF_1_PIE, past the head (at 1 MiB): a PIE.
        let pie = elf64(3, &[(1, 5), (0x6fff_fffb, 0x0800_0001)], 1 << 20);
        assert_eq!(kind(&pie), Some("application/x-pie-executable"));
        let lib = elf64(3, &[(0x6fff_fffb, 1)], 1 << 20);
        assert_eq!(kind(&lib), Some("application/x-sharedlib"));
        // No DT_FLAGS_1 (libc.so.6, mode 0755, with PT_INTERP): a shared
        // object, as `file` 5.44 says of it.
        let plain = elf64(3, &[(1, 5)], 4096);
        assert_eq!(kind(&plain), Some("application/x-sharedlib"));
        // A table count that is absurd is no reason to read megabytes.
        let mut huge = elf64(3, &[], 4096);
        huge[56..58].copy_from_slice(&u16::MAX.to_le_bytes());
        assert_eq!(kind(&huge), Some("application/x-sharedlib"));
    }

    #[test]
    fn pe_wherever_e_lfanew_points_and_cafebabe_by_its_count() {
        let mut pe = vec![0u8; (2 << 20) + 4];
        pe[..2].copy_from_slice(b"MZ");
        pe[2] = 0x90;
        pe[4] = 3;
        pe[0x3C..0x40].copy_from_slice(&(2u32 << 20).to_le_bytes());
        pe[2 << 20..].copy_from_slice(b"PE\0\0");
        let head = pe[..8192].to_vec();
        assert_eq!(
            program_type(&head, &mut Bytes(&pe)).unwrap(),
            Some("application/vnd.microsoft.portable-executable")
        );
        // The pointer past the end: a DOS program, by its header.
        assert_eq!(
            program_type(&head, &mut Bytes(&head)).unwrap(),
            Some("application/x-dosexec")
        );
        let text = b"MZ is a postcode area in the north of England, near the sea.\n".repeat(2);
        assert_eq!(program_type(&text, &mut Bytes(&text)).unwrap(), None);
        let fat = b"\xca\xfe\xba\xbe\0\0\0\x02\x01\0\0\x07";
        assert_eq!(
            program_type(fat, &mut Bytes(fat)).unwrap(),
            Some("application/x-mach-binary")
        );
        let class = b"\xca\xfe\xba\xbe\0\0\0\x3d\0\x1d";
        assert_eq!(
            program_type(class, &mut Bytes(class)).unwrap(),
            Some("application/x-java-applet")
        );
    }
}
