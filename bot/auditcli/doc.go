// Package auditcli is `warden audit`: list recent audit records for people,
// export them as JSON lines, and verify each repository's hash chain.
// cmd/warden calls Run; everything is a function of the arguments, the
// environment variable WARDEN_DATABASE_URL and the database.
package auditcli
