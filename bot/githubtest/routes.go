package githubtest

// restRoutes is every REST endpoint the fake serves.
func (s *Server) restRoutes() []*route {
	var all []*route
	for _, group := range [][]*route{
		s.appRoutes(), s.repoRoutes(), s.pullRoutes(), s.gitRoutes(),
		s.checkRunRoutes(), s.reviewRoutes(), s.commentRoutes(),
	} {
		all = append(all, group...)
	}
	return all
}
