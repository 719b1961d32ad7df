module example.com/webapp

go 1.19

toolchain go1.21.4
