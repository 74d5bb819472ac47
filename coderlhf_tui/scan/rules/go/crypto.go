package main

import (
	"crypto/aes"
	"encoding/hex"
	"crypto/des"
	"crypto/md5"
	"crypto/sha256"
	"math/rand"
	"os"
)

func digest(data []byte) ([16]byte, [32]byte) {
	// ruleid: go-weak-hash
	weak := md5.Sum(data)
	// ok: go-weak-hash
	strong := sha256.Sum256(data)
	return weak, strong
}

func encrypt(key []byte) error {
	// ruleid: go-weak-cipher
	_, err := des.NewCipher(key)
	return err
}

func resetToken() string {
	letters := "abcdef0123456789"
	b := make([]byte, 32)
	for i := range b {
		// ruleid: go-math-rand-use
		b[i] = letters[rand.Intn(len(letters))]
	}
	// ruleid: go-insecure-random-for-secret, go-math-rand-use
	sessionToken := rand.Int63()
	_ = sessionToken
	return string(b)
}

// ruleid: go-hardcoded-credential
const dbPassword = "hunter2-prod-2024"

func apiKey() string {
	// ok: go-hardcoded-credential
	apiKey := os.Getenv("API_KEY")
	return apiKey + dbPassword
}

func encodeToken(secret []byte) string {
	// ok: go-insecure-random-for-secret, go-math-rand-use
	sessionToken := hex.EncodeToString(secret)
	return sessionToken
}

func aesCipher(key []byte) error {
	// ok: go-weak-cipher
	_, err := aes.NewCipher(key)
	return err
}
