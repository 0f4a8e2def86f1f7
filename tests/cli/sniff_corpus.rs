//! `binkit sniff` on files made here by the tools that write them (tic,
//! netpbm, sox, tar, git) or written from their documented headers (Python
//! 2 bytecode, Java keystores, CHM, ICNS, dBASE, 8-bit text), each type
//! asserted against `file --mime-type` run on the same file; a jmod (it
//! needs a JDK) is a fixture. A tool that is not installed skips its files
//! with a notice.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{binkit, fixture, reference};

/// Runs `tool args` in `dir`; false (with a notice) when it is missing or
/// fails.
fn make(dir: &Path, tool: &str, args: &[&str]) -> bool {
    let Some(path) = reference(tool) else {
        return false;
    };
    let ok = Command::new(path)
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: {tool} {args:?} failed");
    }
    ok
}

/// `sh -c script` in `dir`, for tools that write to stdout.
fn shell(dir: &Path, tools: &[&str], script: &str) -> bool {
    tools.iter().all(|t| reference(t).is_some())
        && Command::new("sh")
            .args(["-c", script])
            .current_dir(dir)
            .output()
            .is_ok_and(|o| o.status.success())
}

/// The corpus: file names made in `dir`.
fn build(dir: &Path) -> Vec<String> {
    let mut made = Vec::new();
    let mut keep = |name: &str, ok: bool| {
        if ok && dir.join(name).is_file() {
            made.push(name.to_string());
        }
    };
    // terminfo, legacy and extended (tic -x writes the 32-bit format when
    // a number needs it).
    fs::write(
        dir.join("t.ti"),
        "myterm|test terminal,\n\tam, cols#80, lines#24, bel=^G, clear=\\E[H\\E[2J,\n",
    )
    .unwrap();
    fs::write(
        dir.join("t2.ti"),
        "bigterm|test terminal with big numbers,\n\tam, cols#100000, lines#24,\n",
    )
    .unwrap();
    let tic =
        make(dir, "tic", &["-o", "ti", "t.ti"]) && make(dir, "tic", &["-x", "-o", "ti2", "t2.ti"]);
    if tic {
        fs::copy(dir.join("ti/m/myterm"), dir.join("myterm")).unwrap();
        fs::copy(dir.join("ti2/b/bigterm"), dir.join("bigterm")).unwrap();
    }
    keep("myterm", tic);
    keep("bigterm", tic);
    // netpbm, binary and plain, and Targa.
    let pbm = shell(
        dir,
        &[
            "ppmmake",
            "pbmmake",
            "ppmtopgm",
            "pnmtoplainpnm",
            "ppmtotga",
        ],
        "ppmmake red 4 4 > p6.ppm && pbmmake 8 8 > p4.pbm && ppmtopgm p6.ppm > p5.pgm \
         && pnmtoplainpnm p6.ppm > p3.ppm && pnmtoplainpnm p4.pbm > p1.pbm \
         && ppmtotga p6.ppm > red.tga",
    );
    for name in ["p6.ppm", "p4.pbm", "p5.pgm", "p3.ppm", "p1.pbm", "red.tga"] {
        keep(name, pbm);
    }
    // AIFF and AIFC.
    let aiff = make(
        dir,
        "sox",
        &[
            "-n",
            "-r",
            "8000",
            "-c",
            "1",
            "tone.aiff",
            "trim",
            "0",
            "0.01",
        ],
    ) && make(
        dir,
        "sox",
        &[
            "-n",
            "-r",
            "8000",
            "-c",
            "1",
            "tone.aifc",
            "trim",
            "0",
            "0.01",
        ],
    );
    keep("tone.aiff", aiff);
    keep("tone.aifc", aiff);
    // tar without the ustar magic.
    fs::write(dir.join("a.txt"), "hello\n").unwrap();
    keep(
        "v7.tar",
        make(dir, "tar", &["--format=v7", "-cf", "v7.tar", "a.txt"]),
    );
    // A git pack.
    let git = shell(
        dir,
        &["git"],
        "git init -q repo && cd repo && echo hi > f && git add f \
         && git -c user.email=a@b -c user.name=a commit -qm x && git gc -q \
         && cp .git/objects/pack/*.pack ../objects.pack",
    );
    keep("objects.pack", git);
    // Written from their documented headers.
    let mut pyc = 62211u16.to_le_bytes().to_vec(); // CPython 2.7's magic
    pyc.extend(b"\r\n\0\0\0\0c\0\0\0\0");
    pyc.resize(40, 0);
    fs::write(dir.join("module27.pyc"), &pyc).unwrap();
    keep("module27.pyc", true);
    fs::write(dir.join("keys.jks"), b"\xfe\xed\xfe\xed\0\0\0\x02\0\0\0\0").unwrap();
    keep("keys.jks", true);
    let mut chm = b"ITSF\x03\0\0\0\x60\0\0\0\x01\0\0\0".to_vec();
    chm.resize(96, 0);
    fs::write(dir.join("help.chm"), &chm).unwrap();
    keep("help.chm", true);
    // ICNS: "icns", total length, one ic07 element holding a PNG header.
    let mut icns = b"icns\0\0\0\x20ic07\0\0\0\x18\x89PNG\r\n\x1a\n".to_vec();
    icns.resize(32, 0);
    fs::write(dir.join("app.icns"), &icns).unwrap();
    keep("app.icns", true);
    // dBASE III: version 3, date 2024-01-01, 1 record, header 65 bytes
    // (32 + one 32-byte field + CR), records of 11 bytes.
    let mut dbf = vec![3, 124, 1, 1, 1, 0, 0, 0, 65, 0, 11, 0];
    dbf.resize(32, 0);
    let mut field = b"NAME".to_vec();
    field.resize(11, 0);
    field.push(b'C');
    field.extend([0; 4]);
    field.extend([10, 0]);
    field.resize(32, 0);
    dbf.extend(field);
    dbf.extend(b"\r hello     \x1a");
    fs::write(dir.join("table.dbf"), &dbf).unwrap();
    keep("table.dbf", true);
    // KOI8-R and cp1251 text ("Privet mir" in each code page).
    let koi8 = b"\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2\n".repeat(4);
    let cp1251 = b"\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0\n".repeat(4);
    fs::write(dir.join("koi8.txt"), koi8).unwrap();
    fs::write(dir.join("cp1251.txt"), cp1251).unwrap();
    keep("koi8.txt", true);
    keep("cp1251.txt", true);
    // A shell script with a ZIP behind it (a self-extractor).
    let mut sfx = b"#!/bin/sh\necho extracting\nexit 0\n".to_vec();
    sfx.extend(fs::read(fixture("sniff/samples/archive.zip")).unwrap());
    fs::write(dir.join("installer.sh"), sfx).unwrap();
    keep("installer.sh", true);
    fs::write(
        dir.join("movie.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n",
    )
    .unwrap();
    keep("movie.srt", true);
    fs::copy(fixture("sniff/corpus/module.jmod"), dir.join("module.jmod")).unwrap();
    keep("module.jmod", true);
    made
}

#[test]
fn made_by_real_tools_and_typed_as_file_types_them() {
    let Some(file) = reference("file") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let names = build(dir.path());
    assert!(names.len() >= 12, "{names:?}");
    for name in &names {
        let theirs = Command::new(&file)
            .args(["--mime-type", "-b", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let theirs = String::from_utf8(theirs.stdout).unwrap();
        let theirs = theirs.trim();
        let out = binkit()
            .current_dir(dir.path())
            .args(["sniff", "--ndjson", name])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["mime"], theirs, "{name}");
        // The same bytes on stdin get the same type and flags.
        let piped = binkit()
            .current_dir(dir.path())
            .args(["sniff", "--ndjson", "-"])
            .write_stdin(fs::read(dir.path().join(name)).unwrap())
            .output()
            .unwrap();
        let piped: Value = serde_json::from_slice(&piped.stdout).unwrap();
        assert_eq!(piped["mime"], report["mime"], "{name} on stdin");
        assert_eq!(piped["flags"], report["flags"], "{name} on stdin");
    }
    // Libmagic's names, which the issue listed as missing.
    for (name, mime) in [
        ("module27.pyc", "application/x-bytecode.python"),
        ("keys.jks", "application/x-java-keystore"),
        ("module.jmod", "application/x-java-jmod"),
        ("installer.sh", "text/x-shellscript"),
    ] {
        let out = binkit()
            .current_dir(dir.path())
            .args(["sniff", "--ndjson", name])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["mime"], mime, "{name}");
    }
}
