#if canImport(Glibc)
  import Glibc
#endif

/// Writing to a program that has already exited (a sink command that does not read its input) must fail with an
/// error, not kill this process with SIGPIPE, as it would by default.
package enum BrokenPipes {
  package static func ignore() {
    #if canImport(Glibc)
      _ = signal(SIGPIPE, SIG_IGN)
    #endif
  }
}
