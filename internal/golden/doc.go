// Package golden compares what a test produced with a committed golden
// file, and rewrites the golden files instead when the tests run with
// -update (go test ./pkg -update), so that every package's goldens are
// accepted the same way: rewrite, then review the diff before committing.
//
// It is imported only by tests. The -update flag is registered here, once
// per test binary, so a package's tests must not register their own.
package golden
