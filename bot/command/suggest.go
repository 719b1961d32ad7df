package command

// closestVerb suggests the verb a typo most likely meant, or "" when
// nothing is close: within two edits, and fewer than half the letters.
func closestVerb(typed string) string {
	best, bestDist := "", 3
	for _, v := range verbNames {
		d := editDistance(typed, v)
		if d < bestDist && d*2 < len(v) {
			best, bestDist = v, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, so a swapped pair of letters ("ignroe") counts as one edit.
// Inputs are short: callers clip typed verbs.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
