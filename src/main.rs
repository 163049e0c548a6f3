//! The `kioku` binary: everything happens in the library.

/// Opening a large collection makes a million small allocations; mimalloc
/// makes them about twice as fast as the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kioku::run(std::env::args_os())
}
