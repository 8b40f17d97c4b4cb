//go:build !unix

package main

import "os"

// terminalWidth is unknown here; $COLUMNS or --width decide.
func terminalWidth(*os.File) int { return 0 }
