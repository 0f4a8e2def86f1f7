//! `binkit hexdump` against `xxd` and util-linux `hexdump -C`.

use std::path::Path;

use crate::support::{
    binkit, binkit_ok, files_in, random_bytes, reference, run_tool, sample_inputs,
};

/// Runs binkit in `dir` and returns stdout, asserting success.
fn ours(dir: &Path, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    binkit_ok(dir, args, stdin, &[])
}

/// Compares `binkit hexdump OPTS in.bin` with `TOOL TOOL_OPTS in.bin` for
/// every sample input.
fn compare(tool: &str, cases: &[(&str, &str)]) {
    let Some(tool_path) = reference(tool) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in sample_inputs() {
        std::fs::write(dir.path().join("in.bin"), &data).unwrap();
        for (our_opts, their_opts) in cases {
            let mut args = vec!["hexdump"];
            args.extend(our_opts.split_whitespace());
            args.push("in.bin");
            let mut theirs: Vec<&str> = their_opts.split_whitespace().collect();
            theirs.push("in.bin");
            if their_opts.contains("-s -") && data.len() < 100 {
                // xxd fails ("cannot seek") before the start of a short
                // file; binkit starts at 0 like `tail -c`.
                continue;
            }
            let expected = run_tool(&tool_path, &theirs, b"", dir.path());
            let got = ours(dir.path(), &args, b"");
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&expected),
                "input {name}, binkit {our_opts} vs {tool} {their_opts}"
            );
        }
    }
}

#[test]
fn matches_xxd_default_and_layout_options() {
    let same = [
        "",
        "-g 1",
        "-g 3",
        "-g 0",
        "-g 16",
        "-g 99",
        "-c 5",
        "-c 7 -g 4",
        "-c 1",
        "-c 32",
        "-c 256",
        "-c 0",
        "-u",
        "-s 3",
        "-s 16",
        "-s -5",
        "-s -100",
        "-l 20",
        "-s 5 -l 3",
        "-l 0",
        "-c 13 -g 5 -u",
        "-s 0x10",
    ];
    let cases: Vec<(&str, &str)> = same.iter().map(|o| (*o, *o)).collect();
    compare("xxd", &cases);
}

#[test]
fn matches_xxd_autoskip() {
    compare(
        "xxd",
        &[
            ("-a", "-a"),
            ("-a -c 1", "-a -c 1"),
            ("-a -c 4 -g 1", "-a -c 4 -g 1"),
        ],
    );
}

#[test]
fn matches_xxd_plain() {
    compare(
        "xxd",
        &[
            ("-p", "-p"),
            ("-p -c 0", "-p -c 0"),
            ("-p -c 7", "-p -c 7"),
            ("-p -u", "-p -u"),
            ("-p -c 300", "-p -c 300"),
        ],
    );
}

#[test]
fn matches_xxd_include() {
    compare(
        "xxd",
        &[
            ("-i", "-i"),
            ("-i -c 5", "-i -c 5"),
            ("-i -u", "-i -u"),
            ("-i -c 0", "-i -c 0"),
            // xxd limits -c to 256 only for its line formats.
            ("-i -c 300", "-i -c 300"),
            ("-i -n blob", "-i -n blob"),
        ],
    );
}

#[test]
fn matches_xxd_include_names_and_stdin() {
    let Some(xxd) = reference("xxd") else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub dir")).unwrap();
    for name in ["9a-b.c", "sub dir/x.png", "plain"] {
        std::fs::write(dir.path().join(name), b"hi\n").unwrap();
        assert_eq!(
            ours(dir.path(), &["hexdump", "-i", name], b""),
            run_tool(&xxd, &["-i", name], b"", dir.path())
        );
    }
    let data = random_bytes(50, 1);
    assert_eq!(
        ours(dir.path(), &["hexdump", "-i"], &data),
        run_tool(&xxd, &["-i"], &data, dir.path())
    );
}

#[test]
fn matches_hexdump_canonical() {
    compare(
        "hexdump",
        &[
            ("-C", "-C"),
            ("-C -s 3", "-C -s 3"),
            ("-C -l 40", "-C -n 40"),
            ("-C -s 7 -l 33", "-C -s 7 -n 33"),
            ("-C -s 100000", "-C -s 100000"),
        ],
    );
}

#[test]
fn stdin_skip_reads_past_like_xxd() {
    let Some(xxd) = reference("xxd") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = random_bytes(300, 3);
    let expected = run_tool(&xxd, &["-s", "37", "-l", "100"], &data, dir.path());
    assert_eq!(
        ours(dir.path(), &["hexdump", "-s", "37", "-l", "100"], &data),
        expected
    );
}

#[test]
fn colour_changes_nothing_but_escapes() {
    let Some(xxd) = reference("xxd") else { return };
    let Some(hexdump) = reference("hexdump") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in sample_inputs() {
        for (opts, tool, their) in [
            ("", &xxd, ""),
            ("-c 7 -g 3", &xxd, "-c 7 -g 3"),
            ("-C", &hexdump, "-C"),
        ] {
            let mut args = vec!["hexdump", "--color", "always"];
            args.extend(opts.split_whitespace());
            let coloured = ours(dir.path(), &args, &data);
            let plain = binkit::hexdump::strip_escapes(&coloured);
            let expected = run_tool(
                tool,
                &their.split_whitespace().collect::<Vec<_>>(),
                &data,
                dir.path(),
            );
            assert_eq!(
                String::from_utf8_lossy(&plain),
                String::from_utf8_lossy(&expected),
                "{name} {opts}"
            );
            // Escapes only from our palette: ESC [ digits m, never from the data.
            let escapes = coloured.iter().filter(|&&b| b == 0x1b).count();
            let ours_count = coloured.windows(2).filter(|w| w == b"\x1b[").count();
            assert_eq!(escapes, ours_count);
        }
    }
}

#[test]
fn no_colour_when_not_a_terminal_or_no_color_set() {
    let out = binkit()
        .args(["hexdump"])
        .write_stdin("hi")
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b));
    let out = binkit()
        .args(["hexdump", "-R", "never"])
        .write_stdin("hi")
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn reverse_restores_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in sample_inputs() {
        for format in [
            "",
            "-a",
            "-C",
            "-p",
            "-p -c 0",
            "-i",
            "-c 7 -g 3",
            "-g 0",
            "-u",
            "-c 256",
        ] {
            let mut dump_args = vec!["hexdump"];
            dump_args.extend(format.split_whitespace());
            let dump = ours(dir.path(), &dump_args, &data);
            let mut back_args = vec!["hexdump", "-r"];
            back_args.extend(
                format
                    .split_whitespace()
                    .filter(|a| matches!(*a, "-C" | "-p" | "-i")),
            );
            let back = ours(dir.path(), &back_args, &dump);
            assert_eq!(back, data, "input {name}, format {format:?}");
        }
    }
}

#[test]
fn reverse_reads_the_reference_tools_dumps() {
    let (Some(xxd), Some(hexdump)) = (reference("xxd"), reference("hexdump")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in sample_inputs() {
        for (tool, args, ours_flag) in [
            (&xxd, "", ""),
            (&xxd, "-a", ""),
            (&xxd, "-p", "-p"),
            (&xxd, "-i", "-i"),
            (&hexdump, "-C", "-C"),
        ] {
            let dump = run_tool(
                tool,
                &args.split_whitespace().collect::<Vec<_>>(),
                &data,
                dir.path(),
            );
            let mut back_args = vec!["hexdump", "-r"];
            back_args.extend(ours_flag.split_whitespace());
            assert_eq!(
                ours(dir.path(), &back_args, &dump),
                data,
                "{name}: {tool:?} {args}"
            );
        }
        // and xxd -r reads what we write
        let dump = ours(dir.path(), &["hexdump"], &data);
        assert_eq!(run_tool(&xxd, &["-r"], &dump, dir.path()), data, "{name}");
    }
}

#[test]
fn reverse_of_a_dump_made_with_skip_fills_the_start_with_zeros() {
    // Like xxd -r, the first address says where the bytes go.
    let got = ours(Path::new("."), &["hexdump", "-r"], b"00000004: 4142  AB\n");
    assert_eq!(got, b"\0\0\0\0AB");
}

fn refused(args: &[&str], stdin: &[u8], stderr: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = args.to_vec();
    all.extend(["--output", "out.bin"]);
    binkit()
        .current_dir(dir.path())
        .args(&all)
        .write_stdin(stdin.to_vec())
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("binkit hexdump: {stderr}\n"));
    assert!(
        files_in(dir.path()).is_empty(),
        "left {:?}",
        files_in(dir.path())
    );
}

/// Hostile and truncated dumps: flags, dump, the message after the prefix.
const REFUSED_DUMPS: &[(&str, &[u8], &str)] = &[
    ("-r", b"00000000: 4865 6c6c  Hell\n00000004: 6f0", "odd number of hex digits in a group (<stdin>, at byte 38)"),
    // The 13-byte line that asks xxd -r for 256 MiB of zeros.
    ("-r", b"10000000: 41  A\n", "offset 0x10000000 jumps 268435456 bytes ahead, more than --max-gap 16777216 (<stdin>, at byte 0)"),
    ("-r", b"00000010: 41  A\n00000000: 42  B\n", "offset 0x0 goes back before 0x11 (<stdin>, at byte 16)"),
    ("-r", b"0000zz00: 41\n", "expected a hex address and ':' (<stdin>, at byte 0)"),
    ("-r", b"00000000: 4g65\n", "unexpected character 'g' (<stdin>, at byte 11)"),
    // xxd -a writes `*` only after a zero line; after another it would make zeros of nothing.
    ("-r", b"00000000: 4142 4344 4546 4748 494a 4b4c 4d4e 4f50  ABCDEFGHIJKLMNOP\n*\n00000030: 41  A\n", "'*' after a line that is not all zeros (xxd -a squeezes only zero lines) (<stdin>, at byte 68)"),
    ("-r -C", b"00000000  41                                                |A|\n*\n00000030\n", "'*' after a short line (hexdump squeezes only whole lines) (<stdin>, at byte 64)"),
    ("-r -s 0x7fffffffffffffff", b"00000010: 41  A\n", "offset 0x800000000000000f is past the largest file offset (<stdin>, at byte 0)"),
    ("-r", b"ffffffffffffffffff: 41\n", "expected a hex address and ':' (<stdin>, at byte 0)"),
    ("-r -p", b"4865\n6c6x\n", "unexpected character 'x' (<stdin>, at byte 8)"),
    ("-r -p", b"48656", "odd number of hex digits: the last byte is cut (<stdin>, at byte 4)"),
    ("-r -p", b"48\x1b[2J", "unexpected byte 0x1b (<stdin>, at byte 2)"),
    ("-r -C", b"00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n", "truncated dump: no final offset line (<stdin>, at byte 79)"),
    ("-r -C", b"00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n*\n", "truncated dump: it ends after '*' (<stdin>, at byte 81)"),
    // A `*` squeeze is bounded by --max-fill (256 MiB), not --max-gap: binkit's own -C dumps of long runs turn back.
    ("-r -C", b"00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n*\n40000000\n", "offset 0x40000000: the jumps ahead fill more than --max-fill bytes in all (<stdin>, at byte 81)"),
    ("-r -C", b"*\n", "'*' with no line to repeat (<stdin>, at byte 0)"),
    ("-r -C", b"00000000  41 42\n00000010\n", "offset 0x10 does not follow on from 0x2 (<stdin>, at byte 16)"),
    ("-r -C", b"00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41 41\n", "more than 16 bytes on a line (<stdin>, at byte 59)"),
    ("-r -i", b"unsigned char x[] = {\n  0x41, 0x4\n", "truncated dump: no closing '};' (<stdin>, at byte 34)"),
    ("-r -i", b"  0x41, 0x4g\n", "expected a byte such as 0x4f (<stdin>, at byte 8)"),
    ("-r -i", b"unsigned char x[] = {\n  0x41\n};\nunsigned int x_len = 2;\n", "length line says 2 bytes but the array has 1 (<stdin>, at byte 32)"),
    ("-r -i", b"  0x41\n};\n  0x42\n", "data after the closing '};' (<stdin>, at byte 12)"),
];

#[test]
fn reverse_refuses_hostile_and_truncated_dumps() {
    for (flags, dump, message) in REFUSED_DUMPS {
        let mut args = vec!["hexdump"];
        args.extend(flags.split_whitespace());
        refused(&args, dump, message);
    }
}

#[test]
fn max_gap_can_be_raised_for_real_sparse_dumps() {
    let out = binkit()
        .args(["hexdump", "-r", "--max-gap", "32MiB"])
        .write_stdin("01000000: 41  A\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout.len(), (1 << 24) + 1);
    assert_eq!(out.stdout[1 << 24], b'A');
}

#[test]
fn bad_columns_and_groups_are_usage_errors() {
    binkit()
        .args(["hexdump", "-c", "257"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr("binkit hexdump: -c 257: at most 256 bytes per line\n");
    binkit()
        .args(["hexdump", "-C", "-c", "8"])
        .write_stdin("x")
        .assert()
        .code(2);
    binkit()
        .args(["hexdump", "-s", "-4"])
        .write_stdin("abcdef")
        .assert()
        .code(2)
        .stderr("binkit hexdump: cannot seek from the end of a stream (<stdin>)\n");
    binkit()
        .args(["hexdump", "-l", "5Q"])
        .write_stdin("x")
        .assert()
        .code(2);
}

/// Issue 12: `--max-gap` bounded one jump, so a dump of many jumps (390
/// bytes) still expanded to 486 MB. All jumps together are bounded by
/// `--max-fill` (default 256 MiB): the error names the flag and no file is
/// left.
#[test]
fn issue_12_many_small_jumps_are_bounded_in_all() {
    let dir = tempfile::tempdir().unwrap();
    // 30 lines, each jumping 16 MiB ahead (at --max-gap exactly): 480 MiB.
    let dump: String = (1..=30u64)
        .map(|i| format!("{:08x}: 41\n", i * (16 << 20)))
        .collect();
    std::fs::write(dir.path().join("d.xxd"), &dump).unwrap();
    let out = binkit()
        .current_dir(dir.path())
        .args(["hexdump", "-r", "d.xxd", "--output", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("more than --max-fill bytes in all"),
        "{stderr}"
    );
    assert_eq!(crate::support::files_in(dir.path()), ["d.xxd"]);
    // Raised, the same dump is restored (31 * 16 MiB + 1 bytes).
    binkit()
        .current_dir(dir.path())
        .args([
            "hexdump",
            "-r",
            "d.xxd",
            "--output",
            "out",
            "--max-fill",
            "1GiB",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(dir.path().join("out")).unwrap().len(),
        30 * (16 << 20) + 1
    );
}

/// A `*` squeeze of 16 MiB or more in binkit's own `-C` and `-a` dumps was
/// refused by `--max-gap` (meant for a jump in offsets): the round trip
/// failed where `xxd -a | xxd -r` works. Squeezes count against
/// `--max-fill` only.
#[test]
fn squeezed_runs_past_max_gap_turn_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("zeros"), vec![0u8; 20_000_000]).unwrap();
    std::fs::write(p.join("as"), vec![b'A'; 20_000_000]).unwrap();
    for (input, dump_flag, reverse) in [
        ("zeros", "-a", &["-r"][..]),
        ("as", "-C", &["-r", "-C"][..]),
    ] {
        let dump = binkit()
            .current_dir(p)
            .args(["hexdump", dump_flag, input])
            .output()
            .unwrap();
        assert!(dump.status.success());
        let back = binkit()
            .current_dir(p)
            .arg("hexdump")
            .args(reverse)
            .write_stdin(dump.stdout)
            .output()
            .unwrap();
        assert!(
            back.status.success(),
            "{input}: {}",
            String::from_utf8_lossy(&back.stderr)
        );
        assert_eq!(
            back.stdout,
            std::fs::read(p.join(input)).unwrap(),
            "{input}"
        );
    }
}

/// Issue 13: the letters of xxd and hexdump(1) mean what they mean there.
/// `-C -n 64` dumped the whole file (`-n` was only -i's name); `-o 0x1000`
/// created a file named `0x1000` (xxd: display offset); `-s 0400` was
/// decimal (xxd and hexdump: octal); `-C` squeezed with no `-v` to stop it.
#[test]
fn flags_mean_what_xxd_and_hexdump_mean() {
    compare(
        "hexdump",
        &[
            ("-C -n 64", "-C -n 64"),
            ("-C -n 020", "-C -n 020"),
            ("-C -n 0x30 -s 0x10", "-C -n 0x30 -s 0x10"),
            ("-C -s 0400", "-C -s 0400"),
            ("-C -v", "-C -v"),
            ("-C -v -s 5 -n 100", "-C -v -s 5 -n 100"),
        ],
    );
    compare(
        "xxd",
        &[
            ("-o 0x1000", "-o 0x1000"),
            ("-o 4096 -s 0x10 -l 64", "-o 4096 -s 0x10 -l 64"),
            ("-s 0400 -l 020", "-s 0400 -l 020"),
            ("-o 0100 -c 8 -g 4", "-o 0100 -c 8 -g 4"),
            // A new user's find: -c and -g read 016 as decimal (xxd: 14).
            ("-c 016 -g 016", "-c 016 -g 016"),
            ("-c 0x8", "-c 0x8"),
            ("-p -c 010", "-p -c 010"),
        ],
    );
}

/// Issue 13: letters binkit does not have, or whose two meanings conflict,
/// are refused with both meanings named, never a bare "unexpected
/// argument" and never a third meaning. The meanings quoted are those of
/// xxd(1) (2022) and util-linux hexdump(1).
#[test]
fn letters_without_a_meaning_here_are_refused_by_name() {
    for (args, why) in [
        (&["-C", "-b"][..], "-b is not supported: in xxd it is the bits dump, in hexdump(1) the one-byte octal display"),
        (&["-C", "-d"], "-d is not supported: in xxd it is decimal offsets, in hexdump(1) the two-byte decimal display"),
        (&["-C", "-e"], "-e is not supported: in xxd it is the little-endian dump, in hexdump(1) a format string"),
        (&["-C", "-E"], "-E with -C: xxd's -E is the EBCDIC text column of its own format; hexdump -C has none"),
        // hexdump(1)'s -f is a format file: as force it made `-f fmt data`
        // replace `data` (a new user's find).
        (&["-C", "-f", "fmt", "data"], "-f is not binkit's: hexdump(1)'s format file (xxd has no -f); binkit's force is --force (see 'binkit hexdump --help')"),
        (&["-C", "-c", "file"], "-c is not binkit's with -C: hexdump(1)'s -c is the character display, xxd's the bytes per line (-C always shows 16) (see 'binkit hexdump --help')"),
        (&["-C", "a", "b"], "-C with two files: hexdump(1) dumps them one after the other, xxd writes the second; binkit dumps one FILE (cat them into it) and writes --output FILE"),
        // xxd: "number of octets per group must be a power of 2 with -e."
        (&["-e", "-g", "3"], "-g 3 with -e: number of octets per group must be a power of 2 (as xxd)"),
        // xxd 2022 writes `-e -c 6`'s last group over its own text column.
        (&["-e", "-c", "6"], "-e with -c 6 and groups of 4: the line must be whole groups (xxd 2022 overwrites its text column there)"),
        // xxd: "Sorry, cannot revert this type of hexdump".
        (&["-r", "-b"], "-b with -r: xxd -r cannot turn -b or -e dumps back, and reads addresses as hex and ignores the text column (-d, -E)"),
        (&["-p", "-d"], "-d with -p: xxd ignores -d and -E there (they change only the default format's addresses and text column)"),
        (&["-b", "-R", "always"], "-b with -R always: binkit colours only the plain layout (xxd colours its own way)"),
        (&["-r", "-C", "-s", "16"], "-s with -r -C: xxd -r -s adds an offset to the addresses of xxd's own dumps (default and -p) only"),
        (&["--patch", "x"], "--patch FILE writes a dump's bytes into FILE: it needs -r"),
        (&["-C", "-g", "4"], "-g with -C: -C always groups 8 and 8 bytes (hexdump(1) has no -g; in xxd it is the bytes per group)"),
        (&["-r", "-s", "0x8000000000000000"], "-s 0x8000000000000000 with -r: more than the largest file offset"),
        // xxd -r -c 8 keeps 8 bytes of a 16-byte line; binkit keeps them all.
        (&["-r", "-c", "8"], "-c with -r: xxd -r -c N reads at most N bytes of each line and drops the rest; binkit reads every byte a line holds, whatever its width (no -c needed)"),
        (&["-x"], "-x is not supported: in hexdump(1) it is the two-byte hex display (xxd has no -x)"),
        (&["-i", "-C"], "-C with -i: binkit's -C is hexdump -C's canonical format (in xxd, -C capitalises -i's variable names)"),
        (&["-C", "-o", "16"], "-o is not binkit's with -C: hexdump(1)'s -o is the two-byte octal display, xxd's an offset added to the addresses (see 'binkit hexdump --help')"),
        (&["-n", "x"], "-n is -i's variable name (xxd -n); with -C it is the length (hexdump -n)"),
    ] {
        let mut all = vec!["hexdump"];
        all.extend_from_slice(args);
        refused(&all, b"abc", why);
    }
    // -o is not the output file: a word for whoever meant one.
    let out = binkit()
        .args(["hexdump", "-o", "out.txt"])
        .write_stdin("abc")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("-o is xxd's display offset, the output file is --output FILE"));
    assert!(!Path::new("out.txt").exists());
    // -v without -C is xxd's version, exit 0.
    let out = binkit().args(["hexdump", "-v"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("binkit hexdump "));
}

/// Issue 13: `xxd -ps` is a habit; clap read `-ps` as `-p -s FILE` ("invalid
/// size"). It is `-p`, as in xxd, whose output it must equal.
#[test]
fn xxd_single_dash_words_are_plain() {
    compare(
        "xxd",
        &[
            ("-ps", "-ps"),
            ("-postscript -c 8", "-ps -c 8"),
            ("-plain", "-p"),
        ],
    );
}

/// Issue 13: xxd's `-b` (bits), `-e` (little-endian groups), `-d`
/// (decimal addresses) and `-E` (EBCDIC text), alone and with the layout
/// options, byte for byte as xxd writes them.
#[test]
fn matches_xxd_bits_little_endian_decimal_and_ebcdic() {
    let same = [
        "-b",
        "-b -c 8",
        "-b -g 2 -c 5",
        "-b -g 0",
        "-b -a",
        "-b -s 3 -l 20",
        "-e",
        "-e -g 2",
        "-e -g 8 -c 16",
        "-e -c 8 -u",
        "-e -g 0",
        "-e -c 3",
        "-e -a",
        "-e -o 0x100",
        "-d",
        "-d -s 0x10",
        "-d -c 7 -g 3",
        "-d -o 99999990",
        // xxd prints %08ld: wrapped addresses are negative in decimal.
        "-d -o -5",
        "-d -o 0x7ffffffffffffff8",
        "-d -b -o -3",
        "-E",
        "-E -u -c 20 -g 5",
        "-E -a",
        "-b -d -E",
        "-e -d -E -c 32",
    ];
    let cases: Vec<(&str, &str)> = same.iter().map(|o| (*o, *o)).collect();
    compare("xxd", &cases);
    // Every byte value in the text column of -E.
    let Some(xxd) = reference("xxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(
        ours(dir.path(), &["hexdump", "-E"], &all),
        run_tool(&xxd, &["-E"], &all, dir.path())
    );
}

/// Issue 13: `-r -p` reads `de:ad:be:ef` and `de ad be ef` as xxd does;
/// where xxd silently drops the rest of a line (two separators in a row, a
/// separator inside a byte), binkit stops with the offset.
#[test]
fn reverse_plain_reads_separated_bytes_like_xxd() {
    let Some(xxd) = reference("xxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for dump in [
        &b"de:ad:be:ef\n"[..],
        b"de ad be ef\n",
        b"de:ad:be:ef:\n01:02\n",
        b"de-ad-be-ef\r\n",
        b"de,ad,be,ef\n",
        b"de: ad: be\n",
        b"  dead\tbeef  \n",
    ] {
        assert_eq!(
            ours(dir.path(), &["hexdump", "-r", "-p"], dump),
            run_tool(&xxd, &["-r", "-p"], dump, dir.path()),
            "{}",
            String::from_utf8_lossy(dump)
        );
    }
    refused(
        &["hexdump", "-r", "-p"],
        b"de::ad\n",
        "unexpected character ':' (<stdin>, at byte 3)",
    );
    refused(
        &["hexdump", "-r", "-p"],
        b"d:e\n",
        "unexpected character ':' (<stdin>, at byte 1)",
    );
    refused(
        &["hexdump", "-r", "-p"],
        b":de\n",
        "unexpected character ':' (<stdin>, at byte 0)",
    );
}

/// Issue 13: `-r -s OFF` adds OFF to the addresses written, `-s -OFF`
/// subtracts it, as xxd -r -s does; an address that would land before
/// the start is an error, not a silent zero.
#[test]
fn reverse_with_skip_moves_the_addresses_like_xxd() {
    let Some(xxd) = reference("xxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dump = b"00000010: 4142 4344  ABCD\n00000030: 45  E\n";
    for (flags, input) in [
        ("-r -s 0x20", &dump[..]),
        ("-r -s 64", dump),
        ("-r -s -0x10", dump),
        ("-r -s -16", dump),
        ("-r -p -s 4", b"41424344\n"),
        ("-r -p -s 0x11", b"41:42\n"),
    ] {
        let args: Vec<&str> = flags.split_whitespace().collect();
        let mut mine = vec!["hexdump"];
        mine.extend(&args);
        assert_eq!(
            ours(dir.path(), &mine, input),
            run_tool(&xxd, &args, input, dir.path()),
            "{flags}"
        );
    }
    refused(
        &["hexdump", "-r", "-s", "-0x20"],
        dump,
        "offset 0x10 with -s -32 is before the start of the output (<stdin>, at byte 0)",
    );
}

/// Issue 13: `--patch FILE` is `xxd -r dump FILE` on an existing FILE:
/// the dump's bytes at their addresses, the rest of FILE kept, FILE longer
/// where the dump reaches past its end. Done on a copy renamed over FILE,
/// so a bad dump leaves FILE as it was and no temporary file behind.
#[test]
fn patch_writes_into_an_existing_file_like_xxd_r() {
    let Some(xxd) = reference("xxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let original = random_bytes(300, 5);
    for (flags, dump) in [
        (
            "-r",
            &b"00000010: dead beef  ....\n00000040: 4142  AB\n"[..],
        ),
        ("-r", b"00000100: 4142 4344  ABCD\n00000200: ff  .\n"),
        ("-r", b"00000040: 4142  AB\n00000010: 4344  CD\n"),
        ("-r -p", b"deadbeef\n"),
        ("-r -p -s 0x20", b"de:ad\n"),
        ("-r -s 0x20", b"00000000: 0102  ..\n"),
    ] {
        let theirs = dir.path().join("theirs.bin");
        let mine = dir.path().join("mine.bin");
        std::fs::write(&theirs, &original).unwrap();
        std::fs::write(&mine, &original).unwrap();
        let mut args: Vec<&str> = flags.split_whitespace().collect();
        args.push("-");
        args.push("theirs.bin");
        run_tool(&xxd, &args, dump, dir.path());
        let mut ours_args = vec!["hexdump"];
        ours_args.extend(flags.split_whitespace());
        ours_args.extend(["--patch", "mine.bin"]);
        ours(dir.path(), &ours_args, dump);
        assert_eq!(
            std::fs::read(&mine).unwrap(),
            std::fs::read(&theirs).unwrap(),
            "{flags} {}",
            String::from_utf8_lossy(dump)
        );
    }
    // A dump that fails half way changes nothing and leaves nothing.
    let mine = dir.path().join("mine.bin");
    std::fs::write(&mine, &original).unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["hexdump", "-r", "--patch", "mine.bin"])
        .write_stdin(&b"00000010: dead\nnot a dump line\n"[..])
        .assert()
        .code(2)
        .stderr("binkit hexdump: expected a hex address and ':' (<stdin>, at byte 15)\n");
    assert_eq!(std::fs::read(&mine).unwrap(), original);
    let mut left = files_in(dir.path());
    left.sort();
    assert_eq!(left, ["mine.bin", "theirs.bin"]);
    // Nothing is patched through a symlink, nor behind other hard links' backs.
    std::os::unix::fs::symlink("mine.bin", dir.path().join("link")).unwrap();
    std::fs::hard_link(&mine, dir.path().join("other")).unwrap();
    for (name, message) in [
        ("link", "--patch: a symlink (name the file it points to) ('link')"),
        ("mine.bin", "--patch: has 1 other hard link(s), which would keep the old bytes (--force to patch this name only) ('mine.bin')"),
    ] {
        binkit()
            .current_dir(dir.path())
            .args(["hexdump", "-r", "--patch", name])
            .write_stdin(&b"00000000: 41\n"[..])
            .assert()
            .code(2)
            .stderr(format!("binkit hexdump: {message}\n"));
    }
    assert_eq!(std::fs::read(&mine).unwrap(), original);
}

/// A new user's xxd habits (issue 13): `xxd in out` writes to `out`; a
/// letter given twice takes its last value; `-o -16` wraps the addresses.
/// Each as xxd does; an existing OUTFILE needs -f (with -r, xxd would
/// write into it in place: the message names --patch).
#[test]
fn xxd_outfile_repeated_letters_and_negative_display_offset() {
    let Some(xxd) = reference("xxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = random_bytes(100, 9);
    std::fs::write(dir.path().join("in.bin"), &data).unwrap();
    run_tool(&xxd, &["in.bin", "theirs.txt"], b"", dir.path());
    ours(dir.path(), &["hexdump", "in.bin", "mine.txt"], b"");
    assert_eq!(
        std::fs::read(dir.path().join("mine.txt")).unwrap(),
        std::fs::read(dir.path().join("theirs.txt")).unwrap()
    );
    for flags in [
        "-l 64 -l 20",
        "-s 1 -s 0x10",
        "-c 8 -c 4 -g 1 -g 2",
        "-o -16",
        "-o -16 -c 4 -s 8",
        "-o -0x20 -e",
    ] {
        let args: Vec<&str> = flags.split_whitespace().chain(["in.bin"]).collect();
        let mut mine = vec!["hexdump"];
        mine.extend(&args);
        assert_eq!(
            String::from_utf8_lossy(&ours(dir.path(), &mine, b"")),
            String::from_utf8_lossy(&run_tool(&xxd, &args, b"", dir.path())),
            "{flags}"
        );
    }
    binkit()
        .current_dir(dir.path())
        .args(["hexdump", "-r", "theirs.txt", "in.bin"])
        .assert()
        .code(2)
        .stderr("binkit hexdump: output exists; use --force to overwrite it; xxd -r would write into it: --patch in.bin ('in.bin')\n");
    assert_eq!(std::fs::read(dir.path().join("in.bin")).unwrap(), data);
}

/// xxd -r without -c keeps 16 bytes of each line, so `xxd -c 32 f | xxd
/// -r` is not f (half of it zeros); binkit reads every byte a line holds,
/// and gives f back. Where xxd is right (with `-c 32`), both agree.
#[test]
fn reverse_reads_wide_lines_whole() {
    let Some(xxd) = reference("xxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = random_bytes(200, 11);
    let dump = run_tool(&xxd, &["-c", "32"], &data, dir.path());
    assert_ne!(run_tool(&xxd, &["-r"], &dump, dir.path()), data);
    assert_eq!(run_tool(&xxd, &["-r", "-c", "32"], &dump, dir.path()), data);
    assert_eq!(ours(dir.path(), &["hexdump", "-r"], &dump), data);
}

/// The attack on `--patch` (issue 13): a user who could write the
/// directory but not the file had it replaced by a copy they owned (xxd:
/// "Permission denied"); a file whose owner the copy cannot keep would
/// change hands; extended attributes were dropped; holes were filled; an
/// address far past the end made a 1 TiB sparse file, past `--max-gap`.
#[test]
fn patch_keeps_what_patching_in_place_keeps() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::write(p.join("dump"), "00000000: 5858  XX\n").unwrap();
    std::fs::set_permissions(p.join("dump"), std::fs::Permissions::from_mode(0o644)).unwrap();
    // A file made here belongs to whoever runs the tests.
    let root_owned = std::fs::metadata(p.join("dump")).unwrap().uid() == 0;
    if root_owned {
        // Root's file, 0644 in a 0777 directory: nobody may not write it.
        std::fs::write(p.join("theirs"), b"abcdefgh").unwrap();
        std::fs::set_permissions(p.join("theirs"), std::fs::Permissions::from_mode(0o644)).unwrap();
        if let Some(out) =
            crate::support::as_nobody(p, &["hexdump", "-r", "dump", "--patch", "theirs"])
        {
            assert_eq!(out.status.code(), Some(2));
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                "binkit hexdump: cannot open for writing: permission denied ('theirs')\n"
            );
            assert_eq!(std::fs::read(p.join("theirs")).unwrap(), b"abcdefgh");
            assert_eq!(std::fs::metadata(p.join("theirs")).unwrap().uid(), 0);
            // nobody's file in root's group, group-writable: nobody can
            // write it but cannot give the copy group 0 (not a member).
            std::fs::write(p.join("shared"), b"abcd").unwrap();
            std::os::unix::fs::chown(p.join("shared"), Some(65534), Some(0)).unwrap();
            std::fs::set_permissions(p.join("shared"), std::fs::Permissions::from_mode(0o664))
                .unwrap();
            let out = crate::support::as_nobody(p, &["hexdump", "-r", "dump", "--patch", "shared"])
                .unwrap();
            assert_eq!(out.status.code(), Some(2));
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("could not keep the owner 65534:0")
            );
            assert_eq!(std::fs::metadata(p.join("shared")).unwrap().gid(), 0);
            assert_eq!(std::fs::read(p.join("shared")).unwrap(), b"abcd");
        }
    }
    // Extended attributes and holes stay.
    let sparse = p.join("sparse");
    let file = std::fs::File::create(&sparse).unwrap();
    file.set_len(64 << 20).unwrap();
    drop(file);
    let tagged = rustix::fs::setxattr(
        &sparse,
        "user.tag",
        b"kept",
        rustix::fs::XattrFlags::empty(),
    )
    .is_ok();
    ours(p, &["hexdump", "-r", "dump", "--patch", "sparse"], b"");
    let meta = std::fs::metadata(&sparse).unwrap();
    assert_eq!(meta.len(), 64 << 20);
    assert!(
        meta.blocks() * 512 < 1 << 20,
        "holes filled: {} blocks",
        meta.blocks()
    );
    if tagged {
        let mut value = [0u8; 16];
        let n = rustix::fs::getxattr(&sparse, "user.tag", &mut value[..]).unwrap();
        assert_eq!(&value[..n], b"kept");
    }
    // Growing the file is bounded as writing zeros is.
    binkit()
        .current_dir(p)
        .args(["hexdump", "-r", "--patch", "sparse"])
        .write_stdin(&b"10000000000: 41\n"[..])
        .assert()
        .code(2)
        .stderr("binkit hexdump: offset 0x10000000000 is 1099444518912 bytes past the end of the file, more than --max-gap 16777216 (<stdin>, at byte 0)\n");
    assert_eq!(std::fs::metadata(&sparse).unwrap().len(), 64 << 20);
}

/// The attack on `--patch`: a change made to FILE while the dump was
/// being read (an append here) was lost under the copy, exit 0. Now the
/// copy does not replace a file that changed, and says so. And a
/// directory renamed meanwhile no longer strands the temporary copy.
#[test]
fn patch_does_not_lose_changes_made_meanwhile() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("sub")).unwrap();
    std::fs::write(p.join("sub/f.bin"), b"original").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_binkit"))
        .current_dir(p)
        .args(["hexdump", "-r", "--patch", "sub/f.bin"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"00000000: 4142  AB\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::fs::OpenOptions::new()
        .append(true)
        .open(p.join("sub/f.bin"))
        .unwrap()
        .write_all(b" appended")
        .unwrap();
    std::fs::rename(p.join("sub"), p.join("moved")).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "binkit hexdump: --patch: the file changed while it was being patched; it is left as it is now ('sub/f.bin')\n"
    );
    assert_eq!(
        std::fs::read(p.join("moved/f.bin")).unwrap(),
        b"original appended"
    );
    assert_eq!(files_in(&p.join("moved")), ["f.bin"]);
}

/// A new user's xxd habits (issue 13): the last of -b, -e, -p, -i wins (xxd
/// 2022); `-a` toggles; xxd reads an option by its first two characters
/// (`-include`, `-pc4`, `-cols 4`, `-len 8`, `-seek 2`); `-i -n` makes a C
/// name as xxd does. Each against xxd.
#[test]
fn xxd_option_words_toggles_and_last_shape_win() {
    compare(
        "xxd",
        &[
            ("-p -b", "-p -b"),
            ("-b -p", "-b -p"),
            ("-i -e", "-i -e"),
            ("-e -i", "-e -i"),
            ("-a -a", "-a -a"),
            ("-a -a -a -c 4", "-a -a -a -c 4"),
            ("-include", "-include"),
            ("-pc4", "-pc4"),
            ("-cols 4", "-cols 4"),
            ("-len 8", "-len 8"),
            ("-seek 2 -len 20", "-seek 2 -len 20"),
            ("-bits -groupsize 2", "-bits -groupsize 2"),
            ("-i -n my-var", "-i -n my-var"),
            ("-i -n 16", "-i -n 16"),
            ("-i -n a.b", "-i -n a.b"),
        ],
    );
}
