module example.com/app

go 1.26.0

toolchain go1.26.3
