# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_binkit_global_optspecs
    string join \n endpoint-url= s3-verbose h/help V/version
end

function __fish_binkit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_binkit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_binkit_using_subcommand
    set -l cmd (__fish_binkit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c binkit -n "__fish_binkit_needs_command" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_needs_command" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_needs_command" -s h -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_needs_command" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "b64" -d 'Base64 encode or decode (GNU base64 compatible; URL-safe; data: URLs)'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "hexdump" -d 'Hex dump in xxd, `hexdump -C`, plain or C-include form, or reverse one'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "split" -d 'Cut a file into verified parts with a JSON manifest (SHA-256; MD5 and S3 ETag with --md5)'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "join" -d 'Put parts back together from their manifest, verifying every byte'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "encrypt" -d 'Encrypt: AES-256-CBC + HMAC-SHA256 per chunk, authenticated and streaming'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "decrypt" -d 'Decrypt binkit files (and, unauthenticated, `openssl enc` files)'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "gzip" -d 'Compress or decompress gzip files (`-d`, `-c`, `-k`, `-t`, `-l`, `-r`, `--threads`)'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "sniff" -d 'What files really are, from their bytes; an upload policy for CI (`--check`)'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "grep-log" -d 'Search logs, plain or gzipped, by pattern, level and time (grep options)'
complete -c binkit -n "__fish_binkit_needs_command" -f -a "completions" -d 'Print shell completions or the man page (for packagers)'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s w -l wrap -d 'Wrap encoded lines after COLS characters; 0 for no wrapping' -r
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s o -l output -d 'Write to FILE (atomically: it appears only when complete) instead of stdout' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand b64" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s d -l decode -d 'Decode instead of encode'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s i -l ignore-garbage -d 'When decoding, skip characters outside the alphabet'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -l url -d 'Use the URL- and file-name-safe alphabet (`-_` for `+/`)'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -l no-pad -d 'Encode without `=` padding; when decoding, padding becomes optional'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -l data-url -d 'Encode as one `data:<mime>;base64,...` URL, the MIME type sniffed from the content'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s f -l force -d 'Replace FILE if it exists'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s q -l quiet -d 'No progress bar'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s h -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_using_subcommand b64" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s s -l skip -d 'Start at OFFSET (0x hex, leading 0 octal, as xxd); negative counts from the end of a file' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s l -l length -d 'Stop after LEN bytes' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s n -l name -d '-i: the C variable\'s name (xxd -n); with -C: stop after LEN bytes (hexdump -n)' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s o -l display-offset -d 'Add OFF to the offsets shown (xxd -o)' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s c -l cols -d 'Bytes per line (default 16; -p: 30, 0 for one line; -i: 12); 0x hex, leading 0 octal, as xxd' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s g -l group -d 'Bytes per group in the default format (default 2; 0 for one group)' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s R -l color -d 'Colour bytes by class: NUL, printable, whitespace, other ASCII, non-ASCII' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l max-gap -d 'With -r: largest jump ahead in offsets (filled with zeros) allowed' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l max-fill -d 'With -r: most zero bytes filled by all jumps ahead together' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l output -d 'Write to FILE (atomically: it appears only when complete) instead of stdout; no -o, which is xxd\'s display offset' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l patch -d 'With -r: write the dump\'s bytes into FILE at their addresses, keeping the rest of FILE (xxd -r with an existing output file); done on a copy that replaces FILE only when the dump was read whole' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s C -l canonical -d '`hexdump -C` canonical format: offset, 16 spaced bytes, |text|'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s p -l plain -d 'Plain hex, 30 bytes a line (xxd -p)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s i -l include -d 'C include file (xxd -i)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s r -l reverse -d 'Turn a dump (default, -C, -p or -i form) back into bytes'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s v -l verbose -d 'With -C: show every line, no `*` for repeats (hexdump -v); without: the version (xxd -v)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s u -l upper -d 'Upper-case hex digits'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s a -l autoskip -d 'Replace runs of zero lines with `*` (xxd -a)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l force -d 'Replace FILE if it exists; with --patch, patch a file that has other hard links (they keep the old bytes)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s q -l quiet -d 'No progress bar'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s b -l bits -d 'Bits instead of hex, 6 bytes a line (xxd -b)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s d -l decimal -d 'Decimal addresses (xxd -d)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s e -l little-endian -d 'Little-endian groups of 4 bytes (xxd -e)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s E -l ebcdic -d 'Text column read as EBCDIC (xxd -E)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s x -d 'hexdump(1)\'s -x, which xxd does not have: refused by name (see `hexdump::refused_letter`)'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c binkit -n "__fish_binkit_using_subcommand hexdump" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand split" -s s -l size -d 'Bytes per part (`8MiB`, `5M`, `100MB`, ...); `-b` as in GNU split' -r
complete -c binkit -n "__fish_binkit_using_subcommand split" -l parts -d 'Split into N parts of near-equal size, the last the smallest (a file only: needs its size); no -n, whose GNU sizes differ' -r
complete -c binkit -n "__fish_binkit_using_subcommand split" -l dir -d 'Directory for the parts and the manifest, made if missing (no -d: GNU\'s -d is numeric suffixes)' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand split" -l name -d 'Base name of the parts (default: the input\'s file name; required for stdin)' -r
complete -c binkit -n "__fish_binkit_using_subcommand split" -s o -l output -d 'Upload to the object s3://bucket/key as one multipart upload whose parts are the split parts (implies --s3), the manifest beside it as KEY.manifest.json' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand split" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand split" -s d -d 'GNU split\'s -d (numeric suffixes): refused by name, see `chunks::split`'
complete -c binkit -n "__fish_binkit_using_subcommand split" -l s3 -d 'Refuse part sizes that S3 multipart uploads do not accept; implies --md5'
complete -c binkit -n "__fish_binkit_using_subcommand split" -l resume -d 'With -o: continue the upload to KEY that an earlier run left unfinished, sending only the parts it lacks'
complete -c binkit -n "__fish_binkit_using_subcommand split" -l md5 -d 'Part MD5s and the S3 multipart ETag in the manifest (slower: MD5 runs at ~0.6 GB/s)'
complete -c binkit -n "__fish_binkit_using_subcommand split" -s f -l force -d 'Replace existing parts and manifest'
complete -c binkit -n "__fish_binkit_using_subcommand split" -s q -l quiet -d 'No progress bar'
complete -c binkit -n "__fish_binkit_using_subcommand split" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand split" -s h -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_using_subcommand split" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand join" -s o -l output -d 'Write to FILE (default: the manifest\'s name, in the current directory; `-` for stdout)' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand join" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand join" -s c -l check -d 'Verify every part and say which are missing or damaged; write nothing'
complete -c binkit -n "__fish_binkit_using_subcommand join" -l json -d 'With --check: one JSON object, {"ok", "bad", "parts": [{"index", "file", "status", "size"}]}'
complete -c binkit -n "__fish_binkit_using_subcommand join" -s f -l force -d 'Replace FILE if it exists'
complete -c binkit -n "__fish_binkit_using_subcommand join" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand join" -s h -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_using_subcommand join" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l pass-file -d 'Read the password from the first line of FILE (binkit files: a final CR is dropped; openssl files keep it, as openssl does)' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l pass-env -d 'Read the password from the environment variable VAR' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l pass-fd -d 'Read the password from file descriptor FD' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l key-file -d 'Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l kdf -d 'Password hashing' -r -f -a "argon2id\t'Argon2id, 64 MiB, 3 passes, 4 lanes (RFC 9106)'
pbkdf2\t'PBKDF2-HMAC-SHA256, 600,000 iterations unless --iter'"
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l iter -d 'PBKDF2 iterations (--kdf pbkdf2: at least 600000; --openssl: like openssl\'s -iter)' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l chunk-size -d 'Plaintext bytes per authenticated chunk: a power of two from 4KiB to 16MiB' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l raw-key-file -d 'Like openssl\'s -K with -nosalt: the raw AES key in FILE (no authentication)' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l iv -d 'Like openssl\'s -iv: the IV in hex, with --raw-key-file' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l threads -d 'Threads sealing or opening chunks (default: one per core)' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -s o -l output -d 'Write to FILE (atomically: it appears only when complete) instead of stdout' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l openssl -d 'Write what `openssl enc -d -aes-256-cbc -pbkdf2` reads (no authentication)'
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -s f -l force -d 'Replace FILE if it exists'
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -s q -l quiet -d 'No progress bar'
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c binkit -n "__fish_binkit_using_subcommand encrypt" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l pass-file -d 'Read the password from the first line of FILE (binkit files: a final CR is dropped; openssl files keep it, as openssl does)' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l pass-env -d 'Read the password from the environment variable VAR' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l pass-fd -d 'Read the password from file descriptor FD' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l key-file -d 'Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l mode -d 'Mode of the -o file, in octal (default 600: plaintext is private; openssl leaves it to the umask)' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l iter -d 'openssl files: the -iter the file was made with (default 10000)' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l legacy -d 'openssl files made without -pbkdf2: the digest of their key derivation' -r -f -a "sha256\t'OpenSSL 1.1 and later'
md5\t'OpenSSL 1.0 and earlier, or -md md5'"
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l md -d 'openssl -pbkdf2 files: the -md the file was made with (default sha256)' -r -f -a "sha256\t'openssl\'s default'
sha512\t'-md sha512'
sha1\t'-md sha1'"
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l raw-key-file -d 'Like openssl\'s -K with -nosalt: the raw AES key in FILE (no authentication)' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l iv -d 'Like openssl\'s -iv: the IV in hex, with --raw-key-file' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l threads -d 'Threads sealing or opening chunks (default: one per core)' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -s o -l output -d 'Write to FILE (atomically: it appears only when complete) instead of stdout' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l allow-expensive-kdf -d 'Accept KDF settings above the limits (over 256 MiB of Argon2 memory or 10 passes, ...)'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -s a -l base64 -d 'The input is base64 (openssl enc -a), line breaks anywhere'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -s f -l force -d 'Replace FILE if it exists'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -s q -l quiet -d 'No progress bar'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c binkit -n "__fish_binkit_using_subcommand decrypt" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s o -l output -d 'Write to FILE (a file, or s3://bucket/key) and keep the input, like -c; one input' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l jobs -d 'With -t over s3://: objects tested at once (default 16)' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l shard -d 'Only the files or objects whose name hashes to shard K of N, so that N machines share one tree or bucket' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s p -l threads -d 'Compression threads (default: one per core); 1 writes one plain deflate stream' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l max-output -d 'Stop (exit 2) before decompressing more than SIZE bytes' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l max-ratio -d 'Stop (exit 2) when the output grows more than N times the input' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s S -l suffix -d 'Suffix of compressed files, instead of .gz (gzip -S)' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s d -l decompress -l uncompress -d 'Decompress'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s c -l stdout -l to-stdout -d 'Write to stdout; keep the input'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s k -l keep -d 'Keep the input file'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s f -l force -d 'Replace existing output files'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s t -l test -d 'Test the integrity of compressed files; write nothing'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s l -l list -d 'List compressed size, uncompressed size, ratio and name of each file'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l json -d 'With -l: one JSON array instead of the table'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s r -l recursive -d 'Descend into directories, (de)compressing every file in place'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s N -l name -d 'Compress: store the file\'s name and time in the header. Decompress: restore the stored time, and the stored name in the same directory'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s n -l no-name -d 'Store or restore no name and time (the default)'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 1 -d 'Compression level: -1 (fastest) .. -9 (smallest); default -6'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 2
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 3
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 4
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 5
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 6
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 7
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 8
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s 9
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l fast -d 'Same as -1'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l best -d 'Same as -9'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l ignore-trailing -d 'Accept and ignore data after the last member'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s q -l quiet -d 'No progress bar, and no warnings (as gzip -q); errors still print'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s v -l verbose -d 'Name each file with its compression ratio, on stderr, as gzip -v'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s L -l license -d 'The license (gzip -L)'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l rsyncable -d 'gzip and pigz\'s --rsyncable: refused by name (see gzip::run)'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s h -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_using_subcommand gzip" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l shard -d 'Only the files or objects whose name hashes to shard K of N, so that N machines share one tree or bucket' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l allow -d 'Allowed detected types, comma-separated: `image/png` (or an alias, `image/jpg`), `image/*`, `*/x-executable`, `application/x-*`, `*`. `application/zip` allows plain ZIPs only, not a .docx or .jar' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l deny -d 'Forbidden detected types, as --allow. `application/zip` also denies the formats that are ZIPs inside (OOXML, ODF, JAR, APK, XPI)' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l max-size -d 'Files larger than SIZE fail' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l name -d 'With stdin: the name the stream claims to be (an upload\'s file name), judged as a file\'s name is (mismatch, double extensions)' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l color -d 'Colour the verdicts' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l threads -l jobs -d 'Threads reading files (default: 2 per core, 16 for s3://; reading is mostly waiting)' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -s r -l recursive -d 'Descend into directories'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -s L -l follow -d 'Follow symbolic links (in a walk, and to report dangling ones); with --check, not a link out of the folder named (flagged outside-tree)'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l json -d 'One JSON array of results'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l ndjson -d 'One JSON object per line, as each file is done'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l check -d 'Upload gate: a mismatch or any risk flag fails the file too; print only files that fail; exit 1 if any does'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l tee -d 'With stdin: copy it to stdout unchanged (the verdict goes to stderr)'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l skip-special -d 'What is not a regular file (symlink not followed, FIFO, socket, device, directory without -r) passes --check; it is still listed'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -s q -l quiet -d 'No summary line'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand sniff" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s e -l regexp -d 'A pattern (several: any of them); may start with `-`' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s f -l file -d 'Patterns from FILE, one a line (`-` for stdin); an empty FILE matches nothing' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s A -l after-context -d 'Print N lines of context after each selected line' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s B -l before-context -d 'Print N lines of context before each selected line' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s C -l context -d 'Print N lines of context around each selected line' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l group-separator -d 'The line between groups of context lines, instead of `--` (grep --group-separator)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s m -l max-count -d 'Stop after N selected lines per input (negative: no limit, as grep)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l binary-files -d 'How to take a file with a NUL byte: binary ("binary file matches"), text (as -a) or without-match (as -I)' -r -f -a "binary\t'`binary file matches` on stderr, no lines'
text\t'Search it as text (-a)'
without-match\t'No matching lines (-I)'"
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l include -d 'Search only files whose base name matches GLOB (grep --include)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l exclude -d 'Skip files whose base name matches GLOB (grep --exclude)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l exclude-dir -d 'Skip directories whose base name matches GLOB (grep --exclude-dir)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l label -d 'The name shown for standard input (grep --label)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l shard -d 'Only the files or objects whose name hashes to shard K of N, so that N machines share one tree or bucket' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l level -d 'Keep records of this level (`error`), or of it and above (`warn+`)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l since -d 'Keep records from TIME on: `2026-11-27T05:51:00Z`, `2026-11-27 05:51`, `1h`, `30m`, `2d` ago, and journalctl\'s `today`, `yesterday`, `@EPOCH`, `1 hour ago`' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l until -d 'Keep records up to TIME (same forms as --since)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l output -d 'Write the output to FILE (a file, or s3://bucket/key), which appears only when the search is done' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l threads -l jobs -d 'Inputs searched at once (default: one per core, 16 for s3://); output keeps input order' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l max-line -d 'Longest line searched; longer ones are skipped, an error (exit 2)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l max-ratio -d 'Stop (exit 2) when a .gz input inflates more than N times its size; 0: no limit' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l color -l colour -d 'Colour names, numbers, separators and matches (as GNU grep) and the --stats bars; `--color` alone is `auto`, as in grep' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s F -l fixed-strings -d 'Patterns are fixed strings, not regular expressions'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s E -l extended-regexp -d 'Patterns are extended regular expressions (ERE: `a|b`, `(x)+`)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s G -l basic-regexp -d 'Patterns are basic regular expressions (BRE, the default: `a\\|b`, `\\(x\\)\\+`)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s P -l perl-regexp -d 'Patterns are Perl-compatible (PCRE2: back-references, look-around, lazy repetition)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s i -l ignore-case -d 'Ignore case (`-y`, grep\'s old spelling, too)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l no-ignore-case -d 'Do not ignore case (undoes an earlier -i, as grep)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s U -l binary -d 'Binary mode (grep\'s -U: no effect on POSIX systems, as in grep)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s w -l word-regexp -d 'Match whole words only'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s v -l invert-match -d 'Select lines that do not match'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s c -l count -d 'Print only a count of selected lines per input'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s l -l files-with-matches -d 'Print only the names of inputs with selected lines'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s L -l files-without-match -d 'Print only the names of inputs without selected lines (grep -L)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s q -l quiet -l silent -d 'Print nothing; exit 0 at the first selected line'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s s -l no-messages -d 'No messages about missing or unreadable files (the status still says)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s x -l line-regexp -d 'Match whole lines only'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s b -l byte-offset -d 'Prefix lines (or -o matches) with their byte offset'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s n -l line-number -d 'Prefix lines with their line number'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s H -l with-filename -d 'Prefix lines with the file name (default with several inputs)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s h -l no-filename -d 'Never prefix lines with the file name'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l no-group-separator -d 'No line between groups of context lines (grep --no-group-separator)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s o -l only-matching -d 'Print only the matching parts, one per line'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s a -l text -d 'Search binary files as text'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s I -d 'A binary file has no matching lines (grep -I)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s Z -l null -d 'A NUL byte after each file name instead of `:` or a newline (grep -Z)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s z -l null-data -d 'Lines end with a NUL byte, in the input and the output, not a newline (grep -z)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s T -l initial-tab -d 'Line numbers and offsets padded, and a tab before the line (grep -T)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l line-buffered -d 'Write out each line as soon as it is found (grep --line-buffered)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s r -l recursive -d 'Search directories; symlinks inside are not followed, those named on the command line are (grep -r)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s R -l dereference-recursive -d 'As -r, following every symlink (grep -R)'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l stats -d 'Instead of lines: lines per level and a histogram over time'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l force -d 'With --output: replace FILE if it exists'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l json -d 'Selected lines (or --stats) as JSON: one object per line'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l help -d 'Print help'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand grep-log" -s V -l version -d 'Print version'
complete -c binkit -n "__fish_binkit_using_subcommand completions" -l write -d 'Write every completion script and the man page into DIR' -r -F
complete -c binkit -n "__fish_binkit_using_subcommand completions" -l endpoint-url -d 'The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)' -r
complete -c binkit -n "__fish_binkit_using_subcommand completions" -l man -d 'Print the man page instead'
complete -c binkit -n "__fish_binkit_using_subcommand completions" -l s3-verbose -d 'Print each object-storage retry on stderr, and the requests made at the end'
complete -c binkit -n "__fish_binkit_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c binkit -n "__fish_binkit_using_subcommand completions" -s V -l version -d 'Print version'
