import CoordinatorCLI
import Foundation

exit(await CoordinatorMain.run())
