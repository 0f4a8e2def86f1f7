//! What a file's name claims, and whether the content agrees: extension
//! MIME types from `mime_guess`, alias groups, risky names.

use std::path::Path;

/// Extensions that run when opened on some system.
const EXECUTABLE_EXTENSIONS: [&str; 17] = [
    "exe", "scr", "com", "bat", "cmd", "pif", "msi", "cpl", "vbs", "vbe", "js", "jse", "wsf",
    "ps1", "hta", "jar", "sh",
];

/// Extensions that make a type claim: the ones a user or a browser takes
/// as saying what a file is. Others make none: versioned suffixes
/// (`libc.so.6`, `tclsh8.6`, `python2.7`), names that mean several things
/// (`.ts` is TypeScript or MPEG-TS, `.msg`, `.manifest`, `.tpl`, `.stp`,
/// `go.mod`, `.ko`: a kernel module or Korean), and manual-page sections.
#[rustfmt::skip]
const CLAIMS: [&str; 146] = [
    // Images.
    "png", "apng", "jpg", "jpeg", "jpe", "jfif", "gif", "bmp", "webp", "tif", "tiff", "ico",
    "cur", "svg", "svgz", "heic", "heif", "avif", "psd", "xcf", "tga", "jxl", "jp2", "icns",
    "exr",
    // Documents.
    "pdf", "ps", "eps", "rtf", "doc", "docx", "docm", "dotx", "xls", "xlsx", "xlsm", "ppt",
    "pptx", "pptm", "odt", "ods", "odp", "odg", "epub", "djvu",
    // Archives and packages.
    "zip", "gz", "tgz", "tar", "bz2", "tbz2", "xz", "txz", "zst", "lz4", "7z", "rar", "cab",
    "jar", "war", "ear", "apk", "xpi", "deb", "rpm", "iso", "a",
    // Audio and video.
    "mp3", "wav", "flac", "ogg", "oga", "ogv", "opus", "m4a", "aac", "mid", "midi", "mp4",
    "m4v", "mov", "avi", "mkv", "webm", "wmv", "flv", "aif", "aiff", "mpg", "mpeg", "au", "snd",
    // Fonts.
    "ttf", "otf", "woff", "woff2", "eot",
    // Web and text.
    "html", "htm", "xhtml", "xml", "json", "js", "mjs", "css", "txt", "csv", "md", "yaml", "yml",
    "toml", "ini", "log", "sql", "c", "h", "cpp", "hpp", "cc", "rs", "go", "java",
    // Scripts and programs.
    "sh", "py", "pyc", "php", "pl", "rb", "exe", "dll", "scr", "com", "msi", "sys", "cpl", "efi",
    "so", "o", "elf", "wasm", "class", "dex",
    // Databases and catalogues.
    "sqlite", "sqlite3", "db3", "mo",
];

/// Extensions Windows runs on a double click: programs and the script
/// hosts' (`.js` is left out: it is every web page's code too).
const WINDOWS_RUNNABLE: [&str; 16] = [
    "exe", "scr", "com", "pif", "msi", "cpl", "bat", "cmd", "vbs", "vbe", "jse", "wsf", "wsh",
    "hta", "ps1", "lnk",
];

/// The MIME type the name's (last) extension claims, if it is one that
/// makes a claim. A claim of `application/octet-stream` ("some bytes") is no
/// claim.
pub fn expected_mime(name: &str) -> Option<&'static str> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    if !CLAIMS.contains(&ext.as_str()) {
        return None;
    }
    let mime = extension_override(&ext).or_else(|| mime_guess::from_ext(&ext).first_raw())?;
    (mime != super::detect::UNKNOWN).then_some(mime)
}

/// Extensions `mime_guess` does not know, or calls `application/
/// octet-stream`, that name one format.
fn extension_override(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "exe" | "dll" | "scr" | "com" | "sys" | "cpl" | "efi" => {
            "application/vnd.microsoft.portable-executable"
        }
        "elf" => "application/x-executable",
        "so" => "application/x-sharedlib",
        "o" | "ko" => "application/x-object",
        // Batch files are text, not the programs mime_guess calls them.
        "bat" | "cmd" => "text/x-msdos-batch",
        "zst" => "application/zstd",
        "a" => "application/x-archive",
        "mo" | "gmo" => "application/x-gettext-translation",
        "sqlite" | "sqlite3" | "db3" => "application/vnd.sqlite3",
        "woff2" => "font/woff2",
        "exr" => "image/x-exr",
        "au" | "snd" => "audio/basic",
        "wasm" => "application/wasm",
        "pyc" => "application/x-bytecode.python",
        _ => return None,
    })
}

/// The canonical member of `mime`'s alias group: the same format under
/// several names (`image/jpg`, `text/xml`, `application/x-gzip`, ...).
pub fn canonical(mime: &str) -> &str {
    match mime {
        "image/jpg" | "image/pjpeg" => "image/jpeg",
        "text/xml" => "application/xml",
        "application/x-gzip" => "application/gzip",
        "application/x-zip-compressed" | "application/x-zip" => "application/zip",
        "text/javascript" | "application/x-javascript" | "application/ecmascript" => {
            "application/javascript"
        }
        "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "audio/wav",
        "audio/x-flac" => "audio/flac",
        "audio/x-midi" | "audio/mid" => "audio/midi",
        "audio/mp3" | "audio/x-mpeg" => "audio/mpeg",
        "audio/aiff" | "audio/x-aifc" => "audio/x-aiff",
        "audio/x-m4a" | "audio/m4a" => "audio/mp4",
        "audio/opus" => "audio/ogg",
        "text/rtf" => "application/rtf",
        "application/x-unix-archive" => "application/x-archive",
        "image/x-icon" | "image/vnd.microsoft.icon" => "image/x-icon",
        "image/x-ms-bmp" | "image/x-bmp" => "image/bmp",
        "application/font-woff" | "font/woff" => "font/woff",
        "application/font-sfnt"
        | "font/ttf"
        | "font/otf"
        | "application/vnd.ms-opentype"
        | "application/x-font-ttf"
        | "application/x-font-otf"
        | "application/x-font-truetype" => "font/sfnt",
        "application/x-sh" | "text/x-sh" | "application/x-shellscript" => "text/x-shellscript",
        "text/x-python" | "application/x-python" => "text/x-script.python",
        "application/x-perl" => "text/x-perl",
        "application/x-php" | "application/x-httpd-php" | "application/php" => "text/x-php",
        "application/x-bat" | "application/bat" | "application/x-msdos-batch" => {
            "text/x-msdos-batch"
        }
        "application/vnd.ms-office" => "application/x-ole-storage",
        "application/x-bzip" => "application/x-bzip2",
        "application/x-rar-compressed" | "application/x-rar" => "application/vnd.rar",
        "application/x-elf" => "application/x-executable",
        "application/x-msdownload" | "application/x-msi" => {
            "application/vnd.microsoft.portable-executable"
        }
        "application/x-msdos-program"
        | "application/x-ms-dos-executable"
        | "application/exe"
        | "application/x-exe"
        | "application/dos-exe" => "application/x-dosexec",
        "application/x-mach-o-executable" => "application/x-mach-binary",
        "application/java" | "application/java-vm" | "application/x-java-vm" => {
            "application/x-java-applet"
        }
        "application/x-pdf" => "application/pdf",
        "application/vnd.sqlite3" | "application/x-sqlite3" => "application/vnd.sqlite3",
        "video/x-matroska" => "video/webm",
        "text/x-csrc" | "text/x-chdr" => "text/x-c",
        "application/x-troff-man" | "application/x-troff" | "text/x-troff" => "text/troff",
        "application/x-tex" => "text/x-tex",
        other => other,
    }
}

/// Formats that are the same container underneath: a `.docx` is a ZIP,
/// an `.m4a` is an MP4, a `.doc` and an `.msi` are OLE storage.
fn container(mime: &str) -> Option<&'static str> {
    let zip = [
        "application/zip",
        "application/java-archive",
        "application/epub+zip",
        "application/vnd.android.package-archive",
        "application/x-xpinstall",
        "application/vnd.google-earth.kmz",
        "application/x-java-jmod",
    ];
    if zip.contains(&mime)
        || mime.starts_with("application/vnd.openxmlformats-officedocument.")
        || mime.starts_with("application/vnd.oasis.opendocument.")
    {
        return Some("zip");
    }
    let ole = [
        "application/x-ole-storage",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.ms-outlook",
    ];
    if ole.contains(&mime) {
        return Some("ole");
    }
    let mp4 = [
        "video/mp4",
        "audio/mp4",
        "audio/m4a",
        "audio/x-m4a",
        "video/x-m4v",
        "video/quicktime",
        "application/mp4",
    ];
    if mp4.contains(&mime) {
        return Some("mp4");
    }
    // ELF's kinds, and PE and the DOS programs it extends: a PIE named
    // .so is not a disguise.
    let elf = [
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-object",
        "application/x-coredump",
        // A macOS library named .so (Python extensions) is no disguise.
        "application/x-mach-binary",
    ];
    if elf.contains(&mime) {
        return Some("elf");
    }
    if [
        "application/vnd.microsoft.portable-executable",
        "application/x-dosexec",
    ]
    .contains(&mime)
    {
        return Some("pe");
    }
    if ["audio/ogg", "video/ogg", "application/ogg", "audio/opus"].contains(&mime) {
        return Some("ogg");
    }
    if mime.starts_with("application/pgp-") {
        return Some("openpgp");
    }
    // Type 1 fonts (.pfa) are PostScript programs.
    if ["application/postscript", "application/x-font-type1"].contains(&mime) {
        return Some("postscript");
    }
    None
}

/// The same format: one type under two names, or one container (a `.jar`
/// is a ZIP, an `.m4a` an MP4).
pub fn same_format(a: &str, b: &str) -> bool {
    let (a, b) = (canonical(a), canonical(b));
    if a == b {
        return true;
    }
    match (container(a), container(b)) {
        // A ZIP is each of its formats, but one format is not another: a
        // JAR or an APK named .docx is a disguise.
        (Some("zip"), Some("zip")) => a == "application/zip" || b == "application/zip",
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Types that are text a person could read, whatever the format: a `.txt`
/// holding JSON, or a `.c` file, is not a disguise.
pub fn is_textual(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("+json")
        || matches!(
            mime,
            "application/json"
                | "application/x-ndjson"
                | "application/xml"
                | "application/javascript"
                | "image/svg+xml"
                | "application/x-httpd-php"
                | "application/pgp-keys"
                | "application/x-tex"
                | "application/x-latex"
                | "application/toml"
                | "application/yaml"
                | "application/x-yaml"
                | "application/sql"
                | "application/x-sql"
                | "application/x-tcl"
                | "application/x-csh"
                | "application/x-troff-me"
                | "application/x-x509-ca-cert"
                | "application/pics-rules"
                | "application/mathematica"
                | "image/x-xpixmap"
                | "message/rfc822"
                | "message/news"
                | "application/postscript"
                | "application/x-subrip"
                | "application/vnd.cups-ppd"
        )
}

/// How the content relates to the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The content is what the name says (or an alias of it).
    Ok,
    /// The content is a different kind than the name claims.
    Mismatch,
    /// No claim, or no recognisable content.
    Unknown,
    /// Not examined: not a regular file, or a symlink not followed.
    Skipped,
}

/// Compares the detected type with the one the name claims.
pub fn verdict(detected: &str, expected: Option<&str>) -> Verdict {
    let Some(expected) = expected else {
        return Verdict::Unknown;
    };
    if detected == super::detect::UNKNOWN || detected == super::detect::EMPTY {
        return Verdict::Unknown;
    }
    let (d, e) = (canonical(detected), canonical(expected));
    if same_format(d, e) || (is_textual(d) && is_textual(e)) {
        Verdict::Ok
    } else {
        Verdict::Mismatch
    }
}

/// The extension of a name Windows runs when opened, whatever the bytes
/// (a batch file is plain text).
pub fn windows_runnable(name: &str) -> Option<String> {
    name.trim_end_matches(['.', ' '])
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .filter(|e| WINDOWS_RUNNABLE.contains(&e.as_str()))
}

/// Risk flags of the name itself: (flag, reason).
pub fn name_flags(name: &str) -> Vec<(&'static str, String)> {
    let mut flags = Vec::new();
    if name.chars().any(crate::messages::is_bidi_control) {
        flags.push((
            "bidi-name",
            "name contains a Unicode bidirectional control character".into(),
        ));
    }
    if name.chars().any(char::is_control) {
        flags.push(("control-name", "name contains a control character".into()));
    }
    // Windows drops trailing dots and spaces: `run.bat.` runs as a .bat.
    let trimmed = name.trim_end_matches(['.', ' ']);
    if trimmed.len() != name.len() && !trimmed.is_empty() {
        flags.push((
            "trailing-dot",
            "name ends in a dot or a space, which Windows drops".into(),
        ));
    }
    let parts: Vec<&str> = trimmed.split('.').skip(1).collect();
    if let [.., inner, last] = parts[..] {
        let last = last.trim().to_ascii_lowercase();
        // The disguise is a document's or a picture's extension (one that
        // makes a claim, and not itself a program's): `apt.postgresql.org.sh`
        // and `trait.Sub.js` are no disguise.
        let inner = inner.trim().to_ascii_lowercase();
        let inner_known =
            CLAIMS.contains(&inner.as_str()) && !EXECUTABLE_EXTENSIONS.contains(&inner.as_str());
        if EXECUTABLE_EXTENSIONS.contains(&last.as_str()) && inner_known {
            flags.push((
                "double-extension",
                format!("name ends .{inner}.{last}: looks like .{inner}, runs as .{last}"),
            ));
        }
    }
    flags
}

/// A GNU ld script, which is named as the library it stands for
/// (`libc.so`, `libm.a`): no disguise.
pub fn is_linker_script(head: &[u8], claim: Option<&str>) -> bool {
    let library = matches!(
        claim,
        Some("application/x-sharedlib" | "application/x-archive")
    );
    let text = &head[..head.len().min(4096)];
    library
        && (memchr::memmem::find(text, b"GNU ld script").is_some()
            || text.split(|&b| b == b'\n').any(|line| {
                let line = line.trim_ascii_start();
                line.starts_with(b"INPUT(")
                    || line.starts_with(b"GROUP(")
                    || line.starts_with(b"INPUT (")
                    || line.starts_with(b"GROUP (")
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_agree_and_kinds_disagree() {
        assert_eq!(verdict("image/jpeg", Some("image/jpg")), Verdict::Ok);
        assert_eq!(verdict("text/xml", Some("application/xml")), Verdict::Ok);
        assert_eq!(
            verdict("application/zip", expected_mime("a.docx")),
            Verdict::Ok
        );
        assert_eq!(verdict("text/plain", expected_mime("main.c")), Verdict::Ok);
        assert_eq!(
            verdict("text/plain", expected_mime("schema.sql")),
            Verdict::Ok
        );
        assert_eq!(
            verdict("text/plain", Some("application/rdf+xml")),
            Verdict::Ok
        );
        assert_eq!(
            verdict("application/pgp-keys", Some("application/pgp-signature")),
            Verdict::Ok
        );
        assert_eq!(
            verdict("text/plain", expected_mime("report.doc")),
            Verdict::Mismatch
        );
        assert_eq!(
            verdict("application/x-executable", expected_mime("cat.jpg")),
            Verdict::Mismatch
        );
        assert_eq!(verdict("image/png", None), Verdict::Unknown);
        assert_eq!(
            verdict("application/octet-stream", Some("image/png")),
            Verdict::Unknown
        );
        assert_eq!(expected_mime("PHOTO.JPG"), Some("image/jpeg"));
        assert_eq!(expected_mime("README"), None);
    }

    #[test]
    fn risky_names_are_flagged() {
        let flags = |n: &str| {
            name_flags(n)
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(flags("invoice.pdf.exe"), ["double-extension"]);
        assert_eq!(flags("photo\u{202E}gpj.exe"), ["bidi-name"]);
        assert_eq!(flags("bad\nname.txt"), ["control-name"]);
        assert!(flags("archive.tar.gz").is_empty());
        assert!(flags("setup.exe").is_empty());
        assert!(flags("v1.2.exe").is_empty(), "'2' is not a file type");
    }
}
