package githubtest

import (
	"fmt"
)

// WorldSpec describes a ready-made scenario: an installation of the App on
// Owner, a repository with a base branch, and an open pull request whose
// head branch changes HeadFiles.
type WorldSpec struct {
	Owner       string            // default "acme"
	AccountType string            // default "Organization"
	Repo        string            // default "app"
	Private     bool              // default false
	BaseBranch  string            // default "main"
	BaseFiles   map[string]string // default a README
	HeadBranch  string            // default "feature"
	HeadFiles   map[string]string // files added or changed by the PR
	HeadDeletes []string          // files the PR deletes
	Author      string            // PR author; default "octocat"
	Title       string
	Draft       bool
	// Fork puts the head branch in Author's fork, like an outside
	// contributor's PR; refs/pull/N/head is still set in the base repo.
	Fork bool
	// Permissions of the installation; default DefaultPermissions().
	Permissions map[string]string
}

// World is what a test needs from a scenario.
type World struct {
	Server       *Server
	App          AppInfo
	Installation Installation
	Repo         Repository
	HeadRepo     Repository // the fork when WorldSpec.Fork, else Repo
	PR           PullRequest
	BaseSHA      string // tip of the base branch
	HeadSHA      string
	CloneURL     string
}

// NewWorld builds the scenario on s.
func NewWorld(s *Server, spec WorldSpec) (*World, error) {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&spec.Owner, "acme")
	def(&spec.Repo, "app")
	def(&spec.BaseBranch, "main")
	def(&spec.HeadBranch, "feature")
	def(&spec.Author, "octocat")
	def(&spec.AccountType, "Organization")
	if spec.BaseFiles == nil {
		spec.BaseFiles = map[string]string{"README.md": "# " + spec.Repo + "\n"}
	}
	repo, err := s.CreateRepository(RepoSpec{Owner: spec.Owner, Name: spec.Repo, Private: spec.Private, DefaultBranch: spec.BaseBranch})
	if err != nil {
		return nil, err
	}
	inst := s.CreateInstallation(InstallationSpec{Account: spec.Owner, AccountType: spec.AccountType, Permissions: spec.Permissions})
	baseSHA, err := s.Commit(repo.FullName(), CommitSpec{Branch: spec.BaseBranch, Files: spec.BaseFiles, Message: "initial commit"})
	if err != nil {
		return nil, err
	}
	headRepo := repo
	if spec.Fork {
		if headRepo, err = s.CreateRepository(RepoSpec{Owner: spec.Author, Name: spec.Repo, DefaultBranch: spec.BaseBranch, Fork: true}); err != nil {
			return nil, err
		}
		if err := s.fetchInto(headRepo.FullName(), repo.FullName(), "+refs/heads/"+spec.BaseBranch+":refs/heads/"+spec.BaseBranch); err != nil {
			return nil, err
		}
	}
	headSHA, err := s.Commit(headRepo.FullName(), CommitSpec{
		Branch: spec.HeadBranch, Parent: baseSHA, Files: spec.HeadFiles, Delete: spec.HeadDeletes,
		Message: "change", Author: spec.Author,
	})
	if err != nil {
		return nil, err
	}
	prSpec := PullRequestSpec{Repo: repo.FullName(), Base: spec.BaseBranch, Head: spec.HeadBranch, Title: spec.Title, Author: spec.Author, Draft: spec.Draft}
	if spec.Fork {
		prSpec.HeadRepo = headRepo.FullName()
	}
	pr, err := s.CreatePullRequest(prSpec)
	if err != nil {
		return nil, fmt.Errorf("githubtest: world pull request: %w", err)
	}
	s.SetPermission(repo.FullName(), spec.Author, "read")
	return &World{
		Server: s, App: s.App(), Installation: inst, Repo: repo, HeadRepo: headRepo, PR: pr,
		BaseSHA: baseSHA, HeadSHA: headSHA, CloneURL: s.URL() + "/" + repo.FullName() + ".git",
	}, nil
}
