//! `binkit b64` against GNU `base64` and `basenc`.

use crate::support::{binkit, files_in, fixture, random_bytes, reference, run_tool};

fn sizes() -> Vec<Vec<u8>> {
    [0, 1, 2, 3, 4, 56, 57, 58, 100, 1000, 65_537, 200_000]
        .iter()
        .map(|&n| random_bytes(n, n as u64 + 7))
        .collect()
}

#[test]
fn matches_gnu_base64_for_every_wrap() {
    let Some(base64) = reference("base64") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for data in sizes() {
        for wrap in [
            None,
            Some("0"),
            Some("1"),
            Some("5"),
            Some("76"),
            Some("100"),
        ] {
            let mut args = vec![];
            if let Some(w) = wrap {
                args.extend(["-w", w]);
            }
            let expected = run_tool(&base64, &args, &data, dir.path());
            let mut ours = vec!["b64"];
            ours.extend(&args);
            let got = binkit()
                .args(&ours)
                .write_stdin(data.clone())
                .output()
                .unwrap();
            assert!(got.status.success());
            assert_eq!(got.stdout, expected, "len={} wrap={wrap:?}", data.len());
        }
    }
}

#[test]
fn matches_basenc_base64url() {
    let Some(basenc) = reference("basenc") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for data in sizes() {
        let expected = run_tool(&basenc, &["--base64url"], &data, dir.path());
        let got = binkit()
            .args(["b64", "--url"])
            .write_stdin(data.clone())
            .output()
            .unwrap();
        assert_eq!(got.stdout, expected, "len={}", data.len());
        let back = binkit()
            .args(["b64", "-d", "--url"])
            .write_stdin(expected)
            .output()
            .unwrap();
        assert_eq!(back.stdout, data);
    }
}

#[test]
fn decodes_what_gnu_encodes_and_gnu_decodes_ours() {
    let Some(base64) = reference("base64") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for data in sizes() {
        for wrap in ["0", "3", "76"] {
            let theirs = run_tool(&base64, &["-w", wrap], &data, dir.path());
            let got = binkit()
                .args(["b64", "-d"])
                .write_stdin(theirs)
                .output()
                .unwrap();
            assert!(got.status.success());
            assert_eq!(got.stdout, data, "len={} wrap={wrap}", data.len());
            let ours = binkit()
                .args(["b64", "-w", wrap])
                .write_stdin(data.clone())
                .output()
                .unwrap();
            assert_eq!(run_tool(&base64, &["-d"], &ours.stdout, dir.path()), data);
        }
    }
}

#[test]
fn ignore_garbage_agrees_with_gnu() {
    let Some(base64) = reference("base64") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let text = b"Zm9v!!YmFy\r\n\t*Zm9vYmE=\n";
    let expected = run_tool(&base64, &["-d", "-i"], text, dir.path());
    let got = binkit()
        .args(["b64", "-d", "-i"])
        .write_stdin(&text[..])
        .output()
        .unwrap();
    assert_eq!(got.stdout, expected);
}

#[test]
fn crlf_line_ends_decode_without_ignore_garbage() {
    // GNU base64 rejects these without -i; DESIGN asks us to take them.
    binkit()
        .args(["b64", "-d"])
        .write_stdin("Zm9v\r\nYmFy\r\n")
        .assert()
        .success()
        .stdout("foobar");
}

#[test]
fn no_pad_encodes_and_decodes_without_equals() {
    binkit()
        .args(["b64", "--no-pad"])
        .write_stdin("f")
        .assert()
        .success()
        .stdout("Zg\n");
    binkit()
        .args(["b64", "-d", "--no-pad"])
        .write_stdin("Zg")
        .assert()
        .success()
        .stdout("f");
    binkit()
        .args(["b64", "-d"])
        .write_stdin("Zg")
        .assert()
        .code(2)
        .stderr("binkit b64: truncated input: last group is incomplete (<stdin>, at byte 2)\n");
}

#[test]
fn invalid_character_is_reported_at_its_offset_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.b64");
    // Two good lines, then '*' at byte 10 (0-based: "Zm9v\nYmFy\n" is 10 bytes).
    std::fs::write(&input, "Zm9v\nYmFy\n*m9v\n").unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["b64", "-d", "in.b64", "-o", "out.bin"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("binkit b64: invalid character '*' ('in.b64', at byte 10)\n");
    assert_eq!(files_in(dir.path()), ["in.b64"]);
}

/// `=` that does not end a group (GNU base64 -d: "invalid input" too; a
/// padded group followed by another encoding is decoded, see
/// `concatenated_encodings_decode_as_gnu_does`).
#[test]
fn padding_in_the_middle_of_a_group_is_refused() {
    binkit()
        .args(["b64", "-d"])
        .write_stdin("Zg=Zg==")
        .assert()
        .code(2)
        .stderr("binkit b64: misplaced '=' padding (<stdin>, at byte 2)\n");
}

#[test]
fn data_url_uses_the_sniffed_mime_type() {
    let Some(base64) = reference("base64") else {
        return;
    };
    let png = fixture("sample.png");
    let data = std::fs::read(&png).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let payload = run_tool(&base64, &["-w", "0"], &data, dir.path());
    let expected = [b"data:image/png;base64,".as_slice(), &payload, b"\n"].concat();
    let got = binkit()
        .arg("b64")
        .arg("--data-url")
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(got.stdout, expected);
    let back = binkit()
        .args(["b64", "-d"])
        .write_stdin(got.stdout)
        .output()
        .unwrap();
    assert_eq!(back.stdout, data);
}

#[test]
fn output_file_appears_complete() {
    let dir = tempfile::tempdir().unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["b64", "-o", "out.txt"])
        .write_stdin("foobar")
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        std::fs::read(dir.path().join("out.txt")).unwrap(),
        b"Zm9vYmFy\n"
    );
    assert_eq!(files_in(dir.path()), ["out.txt"]);
}

/// Issue 13: `cat a.b64 b.b64 | binkit b64 -d` was refused ("data after
/// the final '=' padding"); GNU decodes each padded encoding in turn.
/// What GNU decodes binkit decodes to the same bytes; what GNU refuses,
/// binkit refuses (exit 2, where GNU gives 1).
#[test]
fn concatenated_encodings_decode_as_gnu_does() {
    let Some(base64) = reference("base64") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut concatenated = Vec::new();
    for len in [1, 2, 3, 4, 5, 100, 1000] {
        concatenated.extend(run_tool(
            &base64,
            &[],
            &random_bytes(len, len as u64),
            dir.path(),
        ));
    }
    let wrapped_once = run_tool(&base64, &["-w", "0"], b"ab", dir.path());
    let mut inputs: Vec<Vec<u8>> = vec![
        concatenated,
        [wrapped_once.clone(), wrapped_once.clone(), b"YWJj".to_vec()].concat(),
        b"YQ==YQ==".to_vec(),
        b"YQ==\nYWI=\n".to_vec(),
    ];
    for bad in ["YQ=\nYQ==", "YQ==Y", "YQ=YQ==", "Y===", "=YQ==", "YQ===="] {
        inputs.push(bad.as_bytes().to_vec());
    }
    for input in inputs {
        let theirs = std::process::Command::new(&base64)
            .arg("-d")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(&input)?;
                child.wait_with_output()
            })
            .unwrap();
        let ours = binkit()
            .args(["b64", "-d"])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&input);
        if theirs.status.success() {
            assert!(ours.status.success(), "{shown:?}: {ours:?}");
            assert_eq!(ours.stdout, theirs.stdout, "{shown:?}");
        } else {
            assert_eq!(ours.status.code(), Some(2), "{shown:?} is refused by GNU");
        }
    }
}

/// Issue 13: base64 takes one FILE ("extra operand"); binkit refuses a
/// second one with base64's word, never reading it as something else.
#[test]
fn a_second_file_is_an_extra_operand_as_in_base64() {
    if let Some(base64) = crate::support::reference("base64") {
        let out = std::process::Command::new(base64)
            .args(["a", "b"])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("extra operand"));
    }
    crate::support::binkit()
        .args(["b64", "a", "b"])
        .assert()
        .code(2)
        .stderr("binkit b64: extra operand 'b': b64 reads one FILE, as base64 does (cat the files into it)\n");
}

/// GNU base64 takes a flag twice (the last value wins); clap refused it
/// ("cannot be used multiple times"). Against base64 itself.
#[test]
fn a_flag_twice_is_the_last_one_as_in_base64() {
    let Some(base64) = crate::support::reference("base64") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = crate::support::random_bytes(100, 4);
    for args in [&["-w", "5", "-w", "0"][..], &["-w", "0", "-w", "9"]] {
        let mut ours = vec!["b64"];
        ours.extend(args);
        assert_eq!(
            crate::support::binkit_ok(dir.path(), &ours, &data, &[]),
            crate::support::run_tool(&base64, args, &data, dir.path())
        );
    }
    let text = crate::support::run_tool(&base64, &[], &data, dir.path());
    assert_eq!(
        crate::support::binkit_ok(dir.path(), &["b64", "-d", "-d"], &text, &[]),
        data
    );
}
