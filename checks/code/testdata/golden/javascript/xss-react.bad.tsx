import React from "react";

export function Bio({ html }: { html: string }) {
  const fromUrl = new URLSearchParams(window.location.search).get("bio");
  return <div dangerouslySetInnerHTML={{ __html: fromUrl }} />;
}

// The props go straight past React's escaping.
export function Article(props: { body: string }) {
  return React.createElement("article", { dangerouslySetInnerHTML: { __html: props.body } });
}
