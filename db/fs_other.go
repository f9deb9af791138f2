//go:build !linux

package db

func networkFS(string) string { return "" }
