const express = require("express");

const admin = express();
admin.listen(9000, "127.0.0.1");
