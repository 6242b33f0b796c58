// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "TokenWarden",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tokenwarden", targets: ["tokenwarden"])
  ],
  targets: [
    // SQLite, from the system (libsqlite3): the history database's engine.
    .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
    // glibc's malloc.h (mallopt), which the Glibc module does not export; part of every Linux C library install.
    .systemLibrary(name: "CMalloc"),
    // The history database: health checks, plans, applies and events in SQLite; knows nothing of Cloudflare.
    .target(name: "History", dependencies: ["CSQLite", "JSON"]),
    // Pure values shared by every module: permission groups and the bundled catalog, grants, resources, secrets.
    .target(name: "TokenModel", dependencies: ["Basics"]),
    // The bottom of the graph: SHA-256 and other small tools every layer may use.
    .target(name: "Basics"),
    // JSON text: a strict reader, the value it reads into, and a writer in one pass (compact or indented).
    .target(name: "JSON"),
    // Typed client of Cloudflare's token endpoints: transports, retries, rate limit, errors.
    .target(name: "CloudflareAPI", dependencies: ["JSON", "TokenModel"]),
    // The sandbox: Cloudflare's token API in memory, with seeded faults; an in-process transport.
    .target(name: "Simulator", dependencies: ["Basics", "CloudflareAPI", "HTTPServer", "JSON", "TokenModel"]),
    // A small HTTP/1.1 server on POSIX sockets; knows nothing of tokens.
    .target(name: "HTTPServer"),
    // What the planner and health checks know of live tokens: grants, status, dates, what was read; no API records.
    .target(name: "LiveState", dependencies: ["Basics", "JSON", "TokenModel"]),
    // Desired × observed → add-only plan, a pure function; the plan file, its digest and signature.
    .target(name: "Planning", dependencies: ["Basics", "JSON", "LiveState", "TokenModel"]),
    // Rotation: new secrets into their sinks (Workers secrets, files, dotenv files, programs), with a journal.
    .target(
      name: "Rotation",
      dependencies: ["Basics", "CloudflareAPI", "History", "LiveState", "Planning", "Reconciler", "TokenModel"]),
    // Live tokens → the policy that requires what they hold: what `import` writes.
    .target(name: "Importing", dependencies: ["LiveState", "Planning", "PolicyLanguage", "TokenModel"]),
    // The I/O around the planner: reading live tokens through the API, and apply through the healer.
    .target(
      name: "Reconciler", dependencies: ["Basics", "CloudflareAPI", "JSON", "LiveState", "Planning", "TokenModel"]),
    // Token health: verify, conditions, states, score and recommendations (pure evaluation), heal, probe.
    .target(
      name: "Health", dependencies: ["Basics", "CloudflareAPI", "LiveState", "Planning", "Reconciler", "TokenModel"]),
    // What the CLI's commands and the service share: health runs, history recording, the apply lock, the request
    // budget.
    .target(
      name: "Operations",
      dependencies: [
        "Basics", "CloudflareAPI", "Health", "History", "LiveState", "Planning", "Reconciler", "TokenModel",
      ]),
    // The service: the scheduler and monitor, the REST endpoints, the dashboard, metrics and notifications.
    .target(
      name: "Service",
      dependencies: [
        "Basics", "CloudflareAPI", "Health", "History", "HTTPServer", "JSON", "LiveState", "Operations", "Reconciler",
        "Rendering", "Rotation", "TokenModel",
      ]),
    // Policy text → syntax tree with source ranges → desired state and diagnostics; the formatter.
    .target(name: "PolicyLanguage", dependencies: ["Basics", "JSON", "TokenModel"]),
    // Diagnostics, plans, reports, explanations → text, JSON, markdown, HTML and CI annotations.
    .target(
      name: "Rendering",
      dependencies: [
        "Basics", "CloudflareAPI", "Health", "History", "JSON", "LiveState", "Operations", "Planning", "PolicyLanguage",
        "Reconciler", "TokenModel",
      ]),
    // Argument parsing and commands: the one place that wires the modules together.
    .target(
      name: "CLI",
      dependencies: [
        "Basics", "CloudflareAPI", "CMalloc", "Health", "History", "HTTPServer", "Importing", "JSON", "LiveState",
        "Operations", "Planning", "PolicyLanguage", "Reconciler", "Rendering", "Rotation", "Service", "Simulator",
        "TokenModel",
      ]),
    // The `tokenwarden` executable: main.swift only.
    .executableTarget(name: "tokenwarden", dependencies: ["CLI"]),
    // Benchmarks (`swift run -c release tokenwarden-bench`); figures go in docs/performance.md.
    .executableTarget(
      name: "tokenwarden-bench",
      dependencies: [
        "CloudflareAPI", "Health", "History", "HTTPServer", "JSON", "LiveState", "Operations", "PolicyLanguage",
        "Reconciler", "Service", "Simulator", "TokenModel",
      ]),

    // What test targets share: running blocking work off the cooperative pool, golden files.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "HistoryTests", dependencies: ["History", "TestSupport"]),
    .testTarget(
      name: "ServiceTests",
      dependencies: [
        "CloudflareAPI", "Health", "History", "HTTPServer", "Operations", "Rotation", "Service", "Simulator",
        "TestSupport", "TokenModel",
      ], exclude: ["Golden"]),
    .testTarget(name: "HealthTests", dependencies: ["Basics", "CloudflareAPI", "Health", "Simulator", "TokenModel"]),
    .testTarget(name: "TokenModelTests", dependencies: ["TestSupport", "TokenModel"]),
    .testTarget(
      name: "PolicyLanguageTests", dependencies: ["Basics", "PolicyLanguage", "TokenModel"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "CLI", "CloudflareAPI", "Operations", "Planning", "PolicyLanguage", "Reconciler", "Rendering", "TestSupport",
      ],
      exclude: ["Snapshots", "SeedAPI"]),
    .testTarget(
      name: "CloudflareAPITests",
      dependencies: ["Basics", "CloudflareAPI", "HTTPServer", "JSON", "Simulator", "TokenModel"],
      exclude: ["Fixtures"]),
    .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
    .testTarget(
      name: "ReconcilerTests",
      dependencies: [
        "Basics", "CloudflareAPI", "JSON", "LiveState", "Planning", "Reconciler", "Simulator", "TokenModel",
      ]),
    .testTarget(
      name: "RotationTests",
      dependencies: ["CloudflareAPI", "History", "Rotation", "Simulator", "TestSupport", "TokenModel"]),
  ],
  swiftLanguageModes: [.v6]
)
