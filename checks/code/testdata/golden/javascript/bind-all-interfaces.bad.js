const express = require("express");

const admin = express();
admin.listen(9000, "0.0.0.0");
