package main

import (
	"crypto/tls"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go-path-from-request
	data, err := os.ReadFile(filepath.Join("/srv/files", name))
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	// ok: go-path-from-request
	safe, _ := os.ReadFile(filepath.Join("/srv/files", filepath.Base(name)))
	w.Write(append(data, safe...))
}

func hello(w http.ResponseWriter, r *http.Request) {
	who := r.FormValue("who")
	// ruleid: go-xss-unescaped-html
	fmt.Fprintf(w, "<h1>Hello %s</h1>", who)
	// ok: go-xss-unescaped-html
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(who))
}

func proxy(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Timeout: 5 * time.Second}
	// ruleid: go-ssrf-request-url
	resp, err := client.Get(r.URL.Query().Get("url"))
	if err != nil {
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func insecureClient() *http.Client {
	tr := &http.Transport{
		// ruleid: go-tls-insecure-skip-verify
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	// ok: go-http-without-timeout
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func secureConfig() *tls.Config {
	// ok: go-tls-insecure-skip-verify
	return &tls.Config{MinVersion: tls.VersionTLS12}
}

func claims(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	// ruleid: go-jwt-not-verified
	_, _, err := jwt.NewParser().ParseUnverified(token, claims)
	return claims, err
}

func fetch(url string) (*http.Response, error) {
	// ruleid: go-http-without-timeout
	return http.Get(url)
}

func status(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Timeout: 5 * time.Second}
	// ok: go-ssrf-request-url
	resp, err := client.Get("https://status.example.com/health")
	if err == nil {
		resp.Body.Close()
	}
}

func verified(token string, key []byte) (*jwt.Token, error) {
	// ok: go-jwt-not-verified
	return jwt.Parse(token, func(t *jwt.Token) (interface{}, error) { return key, nil })
}
