import React from "react";

export function Bio({ html }: { html: string }) {
  const fromUrl = new URLSearchParams(window.location.search).get("bio");
  return <div dangerouslySetInnerHTML={{ __html: fromUrl }} />;
}
