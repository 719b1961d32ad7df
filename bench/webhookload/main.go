// Command webhookload sends signed pull_request deliveries to a warden
// webhook at a fixed rate and reports acknowledgement latency. It only
// talks to the URL it is given (use loopback) and stops by itself.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/webhook", "webhook URL (loopback)")
	secret := flag.String("secret", "", "webhook secret")
	rate := flag.Int("rate", 200, "requests per second")
	duration := flag.Duration("duration", 30*time.Second, "how long to send")
	flag.Parse()
	if *secret == "" || *rate < 1 || *rate > 5000 || *duration > 10*time.Minute {
		fmt.Fprintln(os.Stderr, "webhookload: need -secret, 1 ≤ -rate ≤ 5000, -duration ≤ 10m")
		os.Exit(2)
	}
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	total := int(duration.Seconds() * float64(*rate))
	lat := make([]time.Duration, 0, total)
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	start := time.Now()
	for i := 0; i < total; i++ {
		<-tick.C
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := payload(i)
			req, _ := http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
			mac := hmac.New(sha256.New, []byte(*secret))
			mac.Write(body)
			req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("load-%d-%d", start.UnixNano(), i))
			req.Header.Set("Content-Type", "application/json")
			t0 := time.Now()
			resp, err := client.Do(req)
			d := time.Since(t0)
			code := 0
			if err == nil {
				code = resp.StatusCode
				resp.Body.Close()
			}
			mu.Lock()
			lat = append(lat, d)
			codes[code]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("requests %d in %.1fs (%.0f/s)  status %v\n", len(lat), time.Since(start).Seconds(), float64(len(lat))/time.Since(start).Seconds(), codes)
	fmt.Printf("ack latency p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
		ms(pct(0.50)), ms(pct(0.90)), ms(pct(0.99)), ms(lat[len(lat)-1]))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// payload is a minimal pull_request.synchronize for a distinct head each
// time, so every delivery queues a scan.
func payload(i int) []byte {
	sha := fmt.Sprintf("%040x", i+1)
	return []byte(fmt.Sprintf(`{"action":"synchronize","number":%d,"installation":{"id":1},
"repository":{"id":100,"name":"shop","owner":{"login":"acme"},"clone_url":"http://127.0.0.1:1/acme/shop.git","private":true},
"sender":{"login":"dev","type":"User"},
"pull_request":{"number":%d,"state":"open","draft":false,"head":{"ref":"feature","sha":"%s","repo":{"id":100}},"base":{"ref":"main","sha":"%040x"}}}`, i%50+1, i%50+1, sha, 1))
}
