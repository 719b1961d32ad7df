package secrets

// keywordIndex finds every occurrence of a set of keywords in one pass,
// ignoring ASCII case, as gitleaks' prefilter does with a lower-cased copy of
// the file (keywords are lower-case ASCII). It is a dense Aho–Corasick
// automaton over byte classes: only the bytes that occur in some keyword get
// their own class, so the transition table stays small enough for cache.
type keywordIndex struct {
	class    [256]uint8 // byte -> class; 0 is "no keyword has this byte"
	nClasses int
	next     []int32   // state*nClasses + class -> state
	out      [][]int32 // state -> keywords ending here (own and via suffix links)
	lens     []int     // keyword -> length
}

func foldByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

func newKeywordIndex(words []string) *keywordIndex {
	k := &keywordIndex{lens: make([]int, len(words))}
	k.nClasses = 1
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			c := foldByte(w[i])
			if k.class[c] == 0 {
				k.class[c] = uint8(k.nClasses)
				k.nClasses++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		k.class[b] = k.class[b+('a'-'A')]
	}

	// Build the trie; goto[state][class] = -1 when absent.
	type node struct {
		next []int32
		out  []int32
	}
	newNode := func() node {
		n := node{next: make([]int32, k.nClasses)}
		for i := range n.next {
			n.next[i] = -1
		}
		return n
	}
	nodes := []node{newNode()}
	for id, w := range words {
		k.lens[id] = len(w)
		s := int32(0)
		for i := 0; i < len(w); i++ {
			c := k.class[foldByte(w[i])]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(id))
	}

	// Breadth-first: fill failure transitions so every state has a full row.
	fail := make([]int32, len(nodes))
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < k.nClasses; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			queue = append(queue, t)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		nodes[s].out = append(nodes[s].out, nodes[fail[s]].out...)
		for c := 0; c < k.nClasses; c++ {
			t := nodes[s].next[c]
			if t > 0 { // a real child (children are never the root)
				fail[t] = nodes[fail[s]].next[c]
				queue = append(queue, t)
				continue
			}
			nodes[s].next[c] = nodes[fail[s]].next[c]
		}
	}
	k.next = make([]int32, len(nodes)*k.nClasses)
	k.out = make([][]int32, len(nodes))
	for s, n := range nodes {
		copy(k.next[s*k.nClasses:], n.next)
		k.out[s] = n.out
	}
	return k
}

// scan calls fn with each keyword occurrence's id and end offset (exclusive).
func (k *keywordIndex) scan(text string, fn func(id int32, end int)) {
	nc := int32(k.nClasses)
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = k.next[s*nc+int32(k.class[text[i]])]
		if out := k.out[s]; len(out) > 0 {
			for _, id := range out {
				fn(id, i+1)
			}
		}
	}
}
