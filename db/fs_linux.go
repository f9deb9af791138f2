//go:build linux

package db

import (
	"path/filepath"
	"syscall"
)

// networkFS names the network or FUSE filesystem dir lives on, or "".
// SQLite's locking is unreliable on these, so several agents sharing the
// file there can corrupt it.
func networkFS(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Clean(dir), &st); err != nil {
		return ""
	}
	switch uint32(st.Type) {
	case 0x6969:
		return "NFS"
	case 0x517B:
		return "SMB"
	case 0xFF534D42, 0xFE534D42:
		return "SMB/CIFS"
	case 0x65735546:
		return "FUSE (sshfs or similar)"
	case 0x01021997:
		return "9P"
	case 0x00C36400:
		return "Ceph"
	}
	return ""
}
