package main

import (
	"context"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/server"
	"github.com/wardenbot/warden/config"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) int {
	cfg, err := config.LoadServer(args, os.Getenv)
	if err != nil {
		return fail(stderr, "serve: %v", err)
	}
	log := newLogger(stderr, cfg.LogLevel)
	app, err := server.New(ctx, cfg, server.Options{Version: version(), Log: log})
	if err != nil {
		return fail(stderr, "serve: %v", err)
	}
	if err := app.Run(ctx); err != nil {
		return fail(stderr, "serve: %v", err)
	}
	return exitOK
}

// newLogger writes structured JSON lines; every job adds its delivery,
// installation, repository, pull request and sha.
func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Str("service", "warden").Logger()
}
