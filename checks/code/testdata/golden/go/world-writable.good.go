package main

import "os"

// Creation modes are narrowed by the umask: 0666 and 0777 are the usual
// defaults (os.Create uses 0666), so they are not world-writable files.
func save(data []byte) {
	os.WriteFile("/var/lib/app/state.json", data, 0666)
	os.MkdirAll("/var/lib/app/cache", 0777)
	os.Chmod("/var/lib/app/run.sh", 0o755)
}
