use std::fs;
use std::os::unix::fs::symlink;
use std::os::unix::net::UnixListener;
use std::path::Path;

use super::*;

/// Each entry of a walk as `path kind`, paths relative to `base`.
fn walk(base: &Path, roots: &[&str], options: WalkOptions) -> Vec<String> {
    let roots = roots.iter().map(|r| base.join(r)).collect();
    Walk::new(roots, options)
        .map(|entry| {
            let (path, what) = match &entry {
                Entry::Stdin => return "-".to_string(),
                Entry::File(f) => (f.path().to_path_buf(), "file".to_string()),
                Entry::Skipped(s) => (s.path.clone(), s.kind.to_string()),
                Entry::Failed { path, error } => (path.clone(), format!("failed: {error}")),
            };
            let shown = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .display()
                .to_string();
            format!("{shown} {what}")
        })
        .collect()
}

const RECURSIVE: WalkOptions = WalkOptions {
    recursive: true,
    follow: false,
    confine: false,
    shard: None,
};
const FOLLOW: WalkOptions = WalkOptions {
    recursive: true,
    follow: true,
    confine: false,
    shard: None,
};

#[test]
fn every_entry_not_opened_is_reported_with_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    fs::create_dir_all(t.join("sub")).unwrap();
    fs::write(t.join("a.txt"), "a").unwrap();
    fs::write(t.join("sub/b.txt"), "b").unwrap();
    symlink("/etc/passwd", t.join("link")).unwrap();
    symlink("nowhere", t.join("dangling")).unwrap();
    rustix::fs::mkfifoat(CWD, t.join("fifo"), Mode::from_raw_mode(0o600)).unwrap();
    let _socket = UnixListener::bind(t.join("sock")).unwrap();
    // Sorted by name; directories are entered, not listed.
    assert_eq!(
        walk(dir.path(), &["t"], RECURSIVE),
        [
            "t/a.txt file",
            "t/dangling a symlink to nowhere",
            "t/fifo a FIFO",
            "t/link a symlink to /etc/passwd",
            "t/sock a socket",
            "t/sub/b.txt file",
        ]
    );
}

#[test]
fn a_device_is_reported_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    // Making a device needs root (CI is root); skip with a notice otherwise.
    let made = rustix::fs::mknodat(
        CWD,
        &null,
        FileType::CharacterDevice,
        Mode::from_raw_mode(0o600),
        rustix::fs::makedev(1, 3),
    );
    if made.is_err() {
        eprintln!("skipping: mknod needs root");
        return;
    }
    assert_eq!(
        walk(dir.path(), &["."], RECURSIVE),
        ["null a character device"]
    );
    let block = dir.path().join("blk");
    fs::remove_file(&null).unwrap();
    rustix::fs::mknodat(
        CWD,
        &block,
        FileType::BlockDevice,
        Mode::from_raw_mode(0o600),
        rustix::fs::makedev(7, 0),
    )
    .unwrap();
    assert_eq!(walk(dir.path(), &["."], RECURSIVE), ["blk a block device"]);
}

#[test]
fn follow_enters_links_reports_dangling_ones_and_survives_loops() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    fs::create_dir_all(t.join("d")).unwrap();
    fs::write(t.join("d/f"), "f").unwrap();
    symlink("..", t.join("d/up")).unwrap(); // back to t: a loop
    symlink("d", t.join("e")).unwrap(); // a second way into d: walked again, as find -L does
    symlink("nowhere", t.join("gone")).unwrap();
    symlink("self", t.join("self")).unwrap(); // ELOOP
    assert_eq!(
        walk(dir.path(), &["t"], FOLLOW),
        [
            "t/d/f file",
            "t/d/up a symlink loop",
            "t/e/f file",
            "t/e/up a symlink loop",
            "t/gone a dangling symlink to nowhere",
            "t/self a symlink loop",
        ]
    );
}

#[test]
fn a_real_directory_reached_again_through_a_link_is_a_loop() {
    // d/up -> .. : d/up/d is d itself, a plain directory (not a link) met
    // again. GNU grep -R: "warning: d/up/d: recursive directory loop".
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("d")).unwrap();
    fs::write(dir.path().join("d/a"), "a").unwrap();
    symlink("..", dir.path().join("d/up")).unwrap();
    assert_eq!(
        walk(dir.path(), &["d"], FOLLOW),
        ["d/a file", "d/up/d a symlink loop"]
    );
}

#[test]
fn named_paths_are_handed_over_as_given_and_stdin_is_dash() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a"), "a").unwrap();
    fs::create_dir(dir.path().join("d")).unwrap();
    let options = WalkOptions::default();
    // Without -r a directory is the consumer's to refuse, as grep does.
    assert_eq!(
        walk(dir.path(), &["a", "d", "missing"], options),
        ["a file", "d file", "missing file"]
    );
    assert_eq!(
        Walk::new(vec!["-".into()], options)
            .map(|e| matches!(e, Entry::Stdin))
            .collect::<Vec<_>>(),
        [true]
    );
}

#[test]
fn a_named_symlink_to_a_directory_is_entered() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/f"), "f").unwrap();
    symlink("real", dir.path().join("via")).unwrap();
    assert_eq!(walk(dir.path(), &["via"], RECURSIVE), ["via/f file"]);
}

#[test]
fn a_directory_swapped_for_a_symlink_after_the_walk_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    fs::create_dir_all(t.join("sub")).unwrap();
    fs::write(t.join("sub/secret"), "inside").unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret"), "OUTSIDE").unwrap();
    let mut walk = Walk::new(vec![t.clone()], RECURSIVE);
    let Some(Entry::File(found)) = walk.next() else {
        panic!("a file first")
    };
    // The attacker moves the real directory away and puts a link in its place.
    fs::rename(t.join("sub"), dir.path().join("moved")).unwrap();
    symlink(&outside, t.join("sub")).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut found.open().unwrap(), &mut text).unwrap();
    assert_eq!(
        text, "inside",
        "opened through the directory it was found in"
    );
    // By path it would have been the outside file.
    assert_eq!(fs::read_to_string(found.path()).unwrap(), "OUTSIDE");
}

#[test]
fn a_file_swapped_for_a_fifo_or_link_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("f"), "f").unwrap();
    let mut walk = Walk::new(vec![dir.path().to_path_buf()], RECURSIVE);
    let Some(Entry::File(found)) = walk.next() else {
        panic!("a file")
    };
    fs::remove_file(dir.path().join("f")).unwrap();
    rustix::fs::mkfifoat(CWD, dir.path().join("f"), Mode::from_raw_mode(0o600)).unwrap();
    // Opened without blocking, then refused: a FIFO is never read.
    let err = found.open().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    fs::remove_file(dir.path().join("f")).unwrap();
    symlink("/etc/passwd", dir.path().join("f")).unwrap();
    let err = found.open().unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ELOOP));
}

#[test]
fn shards_are_disjoint_and_cover_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    fs::create_dir_all(t.join("sub")).unwrap();
    for i in 0..300 {
        fs::write(t.join(format!("f{i}")), "x").unwrap();
        fs::write(t.join("sub").join(format!("g{i}")), "y").unwrap();
    }
    let names = |options: WalkOptions| -> Vec<PathBuf> {
        Walk::new(vec![t.clone()], options)
            .map(|e| match e {
                Entry::File(f) => f.path().to_path_buf(),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let all = names(RECURSIVE);
    assert_eq!(all.len(), 600);
    let mut union = Vec::new();
    for k in 1..=4 {
        let shard = Shard::parse(&format!("{k}/4")).unwrap();
        let part = names(WalkOptions {
            shard: Some(shard),
            ..RECURSIVE
        });
        // FNV-1a spreads 600 names over 4 shards: none is empty or whole.
        assert!(
            part.len() > 60 && part.len() < 300,
            "shard {k}: {}",
            part.len()
        );
        union.extend(part);
    }
    union.sort();
    let mut sorted = all.clone();
    sorted.sort();
    // Disjoint and covering: the shards' union, with no name twice, is
    // the whole walk.
    assert_eq!(union, sorted);
    for bad in ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/2"] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
}
