module example.invalid/billing

go 1.22.1

require (
	github.com/golang-jwt/jwt/v4 v4.5.0
	github.com/google/uuid v1.6.0
	golang.org/x/text v0.14.0 // indirect
)

require github.com/rs/zerolog v1.32.0

replace github.com/google/uuid => github.com/google/uuid v1.5.0
