package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage"
)

// want is one thing to fetch: a remote ref (stored locally under Local) or,
// when Ref is empty, a bare commit sha.
type want struct {
	Ref   plumbing.ReferenceName // remote ref, e.g. refs/pull/7/head
	SHA   plumbing.Hash          // a commit wanted by sha (Ref empty)
	Local plumbing.ReferenceName // where to keep it
}

// errAuth marks a fetch the server refused for credentials.
var errAuth = errors.New("git server refused the credentials")

// fetch runs one upload-pack exchange over client: it asks only for what
// is missing, tells the server every commit the cache already has, and
// writes the pack into the object store before moving the local refs. No
// global go-git protocol registry is involved, so each fetch carries its
// own size and time bounds.
func fetch(ctx context.Context, client *http.Client, url string, auth transport.AuthMethod, sto storage.Storer, wants []want) (map[plumbing.ReferenceName]plumbing.Hash, error) {
	ep, err := transport.NewEndpoint(url)
	if err != nil {
		return nil, fmt.Errorf("clone URL: %w", err)
	}
	sess, err := githttp.NewClient(client).NewUploadPackSession(ep, auth)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	adv, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		if errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed) {
			return nil, fmt.Errorf("%w: %v", errAuth, err)
		}
		return nil, fmt.Errorf("listing remote refs: %w", err)
	}
	remote, err := adv.AllReferences()
	if err != nil {
		return nil, err
	}
	resolved := map[plumbing.ReferenceName]plumbing.Hash{}
	req := packp.NewUploadPackRequestFromCapabilities(adv.Capabilities)
	if adv.Capabilities.Supports(capability.NoProgress) {
		req.Capabilities.Set(capability.NoProgress)
	}
	seen := map[plumbing.Hash]bool{}
	for _, w := range wants {
		h := w.SHA
		if w.Ref != "" {
			ref, ok := remote[w.Ref]
			if !ok {
				return nil, fmt.Errorf("the repository has no %s", w.Ref)
			}
			h = ref.Hash()
		}
		resolved[w.Local] = h
		switch err := sto.HasEncodedObject(h); {
		case err == nil || seen[h]:
			continue
		case !errors.Is(err, plumbing.ErrObjectNotFound):
			return nil, &corruptError{err}
		}
		seen[h] = true
		req.Wants = append(req.Wants, h)
	}
	if len(req.Wants) > 0 {
		haves, err := localHaves(sto)
		if err != nil {
			return nil, &corruptError{err}
		}
		req.Haves = haves
		if err := receivePack(ctx, sess, req, sto); err != nil {
			return nil, err
		}
	}
	for local, h := range resolved {
		if err := sto.SetReference(plumbing.NewHashReference(local, h)); err != nil {
			return nil, err
		}
	}
	return resolved, nil
}

func receivePack(ctx context.Context, sess transport.UploadPackSession, req *packp.UploadPackRequest, sto storer.Storer) (err error) {
	resp, err := sess.UploadPack(ctx, req)
	if err != nil {
		if errors.Is(err, transport.ErrEmptyUploadPackRequest) {
			return nil
		}
		return fmt.Errorf("fetching objects: %w", err)
	}
	defer func() {
		if cerr := resp.Close(); err == nil {
			err = cerr
		}
	}()
	var r io.Reader = resp
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		r = sideband.NewDemuxer(sideband.Sideband64k, resp)
	case req.Capabilities.Supports(capability.Sideband):
		r = sideband.NewDemuxer(sideband.Sideband, resp)
	}
	if err := packfile.UpdateObjectStorage(sto, r); err != nil {
		return fmt.Errorf("storing objects: %w", err)
	}
	return nil
}

// localHaves lists the commits the cache already has, so the server sends
// only what is new (later pushes fetch incrementally).
func localHaves(sto storer.ReferenceStorer) ([]plumbing.Hash, error) {
	iter, err := sto.IterReferences()
	if err != nil {
		return nil, err
	}
	var out []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	err = iter.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference && !seen[r.Hash()] {
			seen[r.Hash()] = true
			out = append(out, r.Hash())
		}
		return nil
	})
	return out, err
}
