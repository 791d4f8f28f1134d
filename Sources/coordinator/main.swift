import CoordinatorCLI
import Foundation
import NIOCore
import NIOPosix

// Run Swift concurrency on NIO's event loops, so awaiting database and network I/O does not hop between
// Swift's thread pool and NIO's threads on every call (the dominant client cost under concurrency).
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
exit(await CoordinatorMain.run())
