
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'binkit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'binkit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'binkit' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('b64', 'b64', [CompletionResultType]::ParameterValue, 'Base64 encode or decode (GNU base64 compatible; URL-safe; data: URLs)')
            [CompletionResult]::new('hexdump', 'hexdump', [CompletionResultType]::ParameterValue, 'Hex dump in xxd, `hexdump -C`, plain or C-include form, or reverse one')
            [CompletionResult]::new('split', 'split', [CompletionResultType]::ParameterValue, 'Cut a file into verified parts with a JSON manifest (SHA-256, MD5, S3 ETag)')
            [CompletionResult]::new('join', 'join', [CompletionResultType]::ParameterValue, 'Put parts back together from their manifest, verifying every byte')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt: AES-256-CBC + HMAC-SHA256 per chunk, authenticated and streaming')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt binkit files (and, unauthenticated, `openssl enc` files)')
            [CompletionResult]::new('gzip', 'gzip', [CompletionResultType]::ParameterValue, 'Compress or decompress gzip files (`-d`, `-c`, `-k`, `-t`, `-l`, `-r`, `--threads`)')
            [CompletionResult]::new('sniff', 'sniff', [CompletionResultType]::ParameterValue, 'What files really are, from their bytes; an upload policy for CI (`--check`)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions or the man page (for packagers)')
            break
        }
        'binkit;b64' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Wrap encoded lines after COLS characters; 0 for no wrapping')
            [CompletionResult]::new('--wrap', '--wrap', [CompletionResultType]::ParameterName, 'Wrap encoded lines after COLS characters; 0 for no wrapping')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Decode instead of encode')
            [CompletionResult]::new('--decode', '--decode', [CompletionResultType]::ParameterName, 'Decode instead of encode')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'When decoding, skip characters outside the alphabet')
            [CompletionResult]::new('--ignore-garbage', '--ignore-garbage', [CompletionResultType]::ParameterName, 'When decoding, skip characters outside the alphabet')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Use the URL- and file-name-safe alphabet (`-_` for `+/`)')
            [CompletionResult]::new('--no-pad', '--no-pad', [CompletionResultType]::ParameterName, 'Encode without `=` padding; when decoding, padding becomes optional')
            [CompletionResult]::new('--data-url', '--data-url', [CompletionResultType]::ParameterName, 'Encode as one `data:<mime>;base64,...` URL, the MIME type sniffed from the content')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;hexdump' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Start at OFFSET; negative counts from the end of a file')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Start at OFFSET; negative counts from the end of a file')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Stop after LEN bytes')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Stop after LEN bytes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Bytes per line (default 16; -p: 30, 0 for one line; -i: 12)')
            [CompletionResult]::new('--cols', '--cols', [CompletionResultType]::ParameterName, 'Bytes per line (default 16; -p: 30, 0 for one line; -i: 12)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Bytes per group in the default format (default 2; 0 for one group)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Bytes per group in the default format (default 2; 0 for one group)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Variable name for -i (default: from the file name, like xxd)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Variable name for -i (default: from the file name, like xxd)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Colour bytes by class: NUL, printable, whitespace, other ASCII, non-ASCII')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour bytes by class: NUL, printable, whitespace, other ASCII, non-ASCII')
            [CompletionResult]::new('--max-gap', '--max-gap', [CompletionResultType]::ParameterName, 'With -r: largest jump ahead in offsets (filled with zeros) allowed')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, '`hexdump -C` canonical format: offset, 16 spaced bytes, |text|')
            [CompletionResult]::new('--canonical', '--canonical', [CompletionResultType]::ParameterName, '`hexdump -C` canonical format: offset, 16 spaced bytes, |text|')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Plain hex, 30 bytes a line (xxd -p)')
            [CompletionResult]::new('--plain', '--plain', [CompletionResultType]::ParameterName, 'Plain hex, 30 bytes a line (xxd -p)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'C include file (xxd -i)')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'C include file (xxd -i)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Turn a dump (default, -C, -p or -i form) back into bytes')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Turn a dump (default, -C, -p or -i form) back into bytes')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Upper-case hex digits')
            [CompletionResult]::new('--upper', '--upper', [CompletionResultType]::ParameterName, 'Upper-case hex digits')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Replace runs of zero lines with `*` (xxd -a)')
            [CompletionResult]::new('--autoskip', '--autoskip', [CompletionResultType]::ParameterName, 'Replace runs of zero lines with `*` (xxd -a)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;split' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Bytes per part (`8MiB`, `5M`, `100MB`, ...)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Bytes per part (`8MiB`, `5M`, `100MB`, ...)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Split into N parts of near-equal size (a file only: needs its size)')
            [CompletionResult]::new('--parts', '--parts', [CompletionResultType]::ParameterName, 'Split into N parts of near-equal size (a file only: needs its size)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Directory for the parts and the manifest')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory for the parts and the manifest')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Base name of the parts (default: the input''s file name; required for stdin)')
            [CompletionResult]::new('--s3', '--s3', [CompletionResultType]::ParameterName, 'Refuse part sizes that S3 multipart uploads do not accept')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace existing parts and manifest')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing parts and manifest')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;join' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (default: the manifest''s name, in the current directory; `-` for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (default: the manifest''s name, in the current directory; `-` for stdout)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Verify every part and say which are missing or damaged; write nothing')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Verify every part and say which are missing or damaged; write nothing')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;encrypt' {
            [CompletionResult]::new('--pass-file', '--pass-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--pass-env', '--pass-env', [CompletionResultType]::ParameterName, 'Read the password from the environment variable VAR')
            [CompletionResult]::new('--pass-fd', '--pass-fd', [CompletionResultType]::ParameterName, 'Read the password from file descriptor FD')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password')
            [CompletionResult]::new('--kdf', '--kdf', [CompletionResultType]::ParameterName, 'Password hashing')
            [CompletionResult]::new('--iter', '--iter', [CompletionResultType]::ParameterName, 'PBKDF2 iterations (--kdf pbkdf2: at least 600000; --openssl: like openssl''s -iter)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Plaintext bytes per authenticated chunk: a power of two from 4KiB to 16MiB')
            [CompletionResult]::new('--raw-key-file', '--raw-key-file', [CompletionResultType]::ParameterName, 'Like openssl''s -K with -nosalt: the raw AES key in FILE (no authentication)')
            [CompletionResult]::new('--iv', '--iv', [CompletionResultType]::ParameterName, 'Like openssl''s -iv: the IV in hex, with --raw-key-file')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads sealing or opening chunks (default: one per core)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('--openssl', '--openssl', [CompletionResultType]::ParameterName, 'Write what `openssl enc -d -aes-256-cbc -pbkdf2` reads (no authentication)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;decrypt' {
            [CompletionResult]::new('--pass-file', '--pass-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--pass-env', '--pass-env', [CompletionResultType]::ParameterName, 'Read the password from the environment variable VAR')
            [CompletionResult]::new('--pass-fd', '--pass-fd', [CompletionResultType]::ParameterName, 'Read the password from file descriptor FD')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password')
            [CompletionResult]::new('--iter', '--iter', [CompletionResultType]::ParameterName, 'openssl files: the -iter the file was made with (default 10000)')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'openssl files made without -pbkdf2: the digest of their key derivation')
            [CompletionResult]::new('--raw-key-file', '--raw-key-file', [CompletionResultType]::ParameterName, 'Like openssl''s -K with -nosalt: the raw AES key in FILE (no authentication)')
            [CompletionResult]::new('--iv', '--iv', [CompletionResultType]::ParameterName, 'Like openssl''s -iv: the IV in hex, with --raw-key-file')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads sealing or opening chunks (default: one per core)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: it appears only when complete) instead of stdout')
            [CompletionResult]::new('--allow-expensive-kdf', '--allow-expensive-kdf', [CompletionResultType]::ParameterName, 'Accept KDF settings above the limits (over 1 GiB of Argon2 memory, ...)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;gzip' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Compression threads (default: one per core); 1 writes one plain deflate stream')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Compression threads (default: one per core); 1 writes one plain deflate stream')
            [CompletionResult]::new('--max-output', '--max-output', [CompletionResultType]::ParameterName, 'Stop (exit 2) before decompressing more than SIZE bytes')
            [CompletionResult]::new('--max-ratio', '--max-ratio', [CompletionResultType]::ParameterName, 'Stop (exit 2) when the output grows more than N times the input')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Decompress')
            [CompletionResult]::new('--decompress', '--decompress', [CompletionResultType]::ParameterName, 'Decompress')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Write to stdout; keep the input')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Write to stdout; keep the input')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keep the input file')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the input file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace existing output files')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing output files')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Test the integrity of compressed files; write nothing')
            [CompletionResult]::new('--test', '--test', [CompletionResultType]::ParameterName, 'Test the integrity of compressed files; write nothing')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'List compressed size, uncompressed size, ratio and name of each file')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List compressed size, uncompressed size, ratio and name of each file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With -l: one JSON array instead of the table')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Descend into directories, (de)compressing every file in place')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Descend into directories, (de)compressing every file in place')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Compress: store the file''s name and time in the header. Decompress: restore the stored time, and the stored name in the same directory')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Compress: store the file''s name and time in the header. Decompress: restore the stored time, and the stored name in the same directory')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Store or restore no name and time (the default)')
            [CompletionResult]::new('--no-name', '--no-name', [CompletionResultType]::ParameterName, 'Store or restore no name and time (the default)')
            [CompletionResult]::new('-1', '-1', [CompletionResultType]::ParameterName, 'Compression level: -1 (fastest) .. -9 (smallest); default -6')
            [CompletionResult]::new('-2', '-2', [CompletionResultType]::ParameterName, '2')
            [CompletionResult]::new('-3', '-3', [CompletionResultType]::ParameterName, '3')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, '4')
            [CompletionResult]::new('-5', '-5', [CompletionResultType]::ParameterName, '5')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, '6')
            [CompletionResult]::new('-7', '-7', [CompletionResultType]::ParameterName, '7')
            [CompletionResult]::new('-8', '-8', [CompletionResultType]::ParameterName, '8')
            [CompletionResult]::new('-9', '-9', [CompletionResultType]::ParameterName, '9')
            [CompletionResult]::new('--fast', '--fast', [CompletionResultType]::ParameterName, 'Same as -1')
            [CompletionResult]::new('--best', '--best', [CompletionResultType]::ParameterName, 'Same as -9')
            [CompletionResult]::new('--ignore-trailing', '--ignore-trailing', [CompletionResultType]::ParameterName, 'Accept and ignore data after the last member')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;sniff' {
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Allowed detected types, comma-separated; `image/*` wildcards')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Forbidden detected types, comma-separated; `image/*` wildcards')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Files larger than SIZE fail')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour the verdicts')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads reading files (default: 2 per core; reading is mostly waiting)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Descend into directories')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Descend into directories')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links (in a walk, and to report dangling ones)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links (in a walk, and to report dangling ones)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON array of results')
            [CompletionResult]::new('--ndjson', '--ndjson', [CompletionResultType]::ParameterName, 'One JSON object per line, as each file is done')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Upload gate: a mismatch or any risk flag fails the file too; print only files that fail; exit 1 if any does')
            [CompletionResult]::new('--tee', '--tee', [CompletionResultType]::ParameterName, 'With stdin: copy it to stdout unchanged (the verdict goes to stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No summary line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'binkit;completions' {
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write every completion script and the man page into DIR')
            [CompletionResult]::new('--man', '--man', [CompletionResultType]::ParameterName, 'Print the man page instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
