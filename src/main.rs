//! The `kioku` binary: everything happens in the library.

fn main() -> std::process::ExitCode {
    kioku::run(std::env::args_os())
}
