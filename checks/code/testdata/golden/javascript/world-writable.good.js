const fs = require("fs");

fs.chmodSync("/var/run/app.sock", 0o660);
fs.writeFileSync("/var/lib/app/state.json", "{}", { mode: 0o666 });
