//go:build !race

package db

const raceOn = false
