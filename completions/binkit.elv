
use builtin;
use str;

set edit:completion:arg-completer[binkit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'binkit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'binkit'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand b64 'Base64 encode or decode (GNU base64 compatible; URL-safe; data: URLs)'
            cand hexdump 'Hex dump in xxd, `hexdump -C`, plain or C-include form, or reverse one'
            cand split 'Cut a file into verified parts with a JSON manifest (SHA-256, MD5, S3 ETag)'
            cand join 'Put parts back together from their manifest, verifying every byte'
            cand encrypt 'Encrypt: AES-256-CBC + HMAC-SHA256 per chunk, authenticated and streaming'
            cand decrypt 'Decrypt binkit files (and, unauthenticated, `openssl enc` files)'
            cand completions 'Print shell completions or the man page (for packagers)'
        }
        &'binkit;b64'= {
            cand -w 'Wrap encoded lines after COLS characters; 0 for no wrapping'
            cand --wrap 'Wrap encoded lines after COLS characters; 0 for no wrapping'
            cand -o 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand --output 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand -d 'Decode instead of encode'
            cand --decode 'Decode instead of encode'
            cand -i 'When decoding, skip characters outside the alphabet'
            cand --ignore-garbage 'When decoding, skip characters outside the alphabet'
            cand --url 'Use the URL- and file-name-safe alphabet (`-_` for `+/`)'
            cand --no-pad 'Encode without `=` padding; when decoding, padding becomes optional'
            cand --data-url 'Encode as one `data:<mime>;base64,...` URL, the MIME type sniffed from the content'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'binkit;hexdump'= {
            cand -s 'Start at OFFSET; negative counts from the end of a file'
            cand --skip 'Start at OFFSET; negative counts from the end of a file'
            cand -l 'Stop after LEN bytes'
            cand --length 'Stop after LEN bytes'
            cand -c 'Bytes per line (default 16; -p: 30, 0 for one line; -i: 12)'
            cand --cols 'Bytes per line (default 16; -p: 30, 0 for one line; -i: 12)'
            cand -g 'Bytes per group in the default format (default 2; 0 for one group)'
            cand --group 'Bytes per group in the default format (default 2; 0 for one group)'
            cand -n 'Variable name for -i (default: from the file name, like xxd)'
            cand --name 'Variable name for -i (default: from the file name, like xxd)'
            cand -R 'Colour bytes by class: NUL, printable, whitespace, other ASCII, non-ASCII'
            cand --color 'Colour bytes by class: NUL, printable, whitespace, other ASCII, non-ASCII'
            cand --max-gap 'With -r: largest jump ahead in offsets (filled with zeros) allowed'
            cand -o 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand --output 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand -C '`hexdump -C` canonical format: offset, 16 spaced bytes, |text|'
            cand --canonical '`hexdump -C` canonical format: offset, 16 spaced bytes, |text|'
            cand -p 'Plain hex, 30 bytes a line (xxd -p)'
            cand --plain 'Plain hex, 30 bytes a line (xxd -p)'
            cand -i 'C include file (xxd -i)'
            cand --include 'C include file (xxd -i)'
            cand -r 'Turn a dump (default, -C, -p or -i form) back into bytes'
            cand --reverse 'Turn a dump (default, -C, -p or -i form) back into bytes'
            cand -u 'Upper-case hex digits'
            cand --upper 'Upper-case hex digits'
            cand -a 'Replace runs of zero lines with `*` (xxd -a)'
            cand --autoskip 'Replace runs of zero lines with `*` (xxd -a)'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'binkit;split'= {
            cand -s 'Bytes per part (`8MiB`, `5M`, `100MB`, ...)'
            cand --size 'Bytes per part (`8MiB`, `5M`, `100MB`, ...)'
            cand -n 'Split into N parts of near-equal size (a file only: needs its size)'
            cand --parts 'Split into N parts of near-equal size (a file only: needs its size)'
            cand -d 'Directory for the parts and the manifest'
            cand --dir 'Directory for the parts and the manifest'
            cand --name 'Base name of the parts (default: the input''s file name; required for stdin)'
            cand --s3 'Refuse part sizes that S3 multipart uploads do not accept'
            cand -f 'Replace existing parts and manifest'
            cand --force 'Replace existing parts and manifest'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'binkit;join'= {
            cand -o 'Write to FILE (default: the manifest''s name, in the current directory; `-` for stdout)'
            cand --output 'Write to FILE (default: the manifest''s name, in the current directory; `-` for stdout)'
            cand -c 'Verify every part and say which are missing or damaged; write nothing'
            cand --check 'Verify every part and say which are missing or damaged; write nothing'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'binkit;encrypt'= {
            cand --pass-file 'Read the password from the first line of FILE'
            cand --pass-env 'Read the password from the environment variable VAR'
            cand --pass-fd 'Read the password from file descriptor FD'
            cand --key-file 'Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password'
            cand --kdf 'Password hashing'
            cand --iter 'PBKDF2 iterations (--kdf pbkdf2: at least 600000; --openssl: like openssl''s -iter)'
            cand --chunk-size 'Plaintext bytes per authenticated chunk: a power of two from 4KiB to 16MiB'
            cand --raw-key-file 'Like openssl''s -K with -nosalt: the raw AES key in FILE (no authentication)'
            cand --iv 'Like openssl''s -iv: the IV in hex, with --raw-key-file'
            cand --threads 'Threads sealing or opening chunks (default: one per core)'
            cand -o 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand --output 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand --openssl 'Write what `openssl enc -d -aes-256-cbc -pbkdf2` reads (no authentication)'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'binkit;decrypt'= {
            cand --pass-file 'Read the password from the first line of FILE'
            cand --pass-env 'Read the password from the environment variable VAR'
            cand --pass-fd 'Read the password from file descriptor FD'
            cand --key-file 'Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password'
            cand --iter 'openssl files: the -iter the file was made with (default 10000)'
            cand --legacy 'openssl files made without -pbkdf2: the digest of their key derivation'
            cand --raw-key-file 'Like openssl''s -K with -nosalt: the raw AES key in FILE'
            cand --iv 'Like openssl''s -iv: the IV in hex, with --raw-key-file'
            cand --threads 'Threads sealing or opening chunks (default: one per core)'
            cand -o 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand --output 'Write to FILE (atomically: it appears only when complete) instead of stdout'
            cand --allow-expensive-kdf 'Accept KDF settings above the limits (over 1 GiB of Argon2 memory, ...)'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'binkit;completions'= {
            cand --write 'Write every completion script and the man page into DIR'
            cand --man 'Print the man page instead'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
