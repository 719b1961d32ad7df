import React from "react";
import DOMPurify from "dompurify";

export function Bio(props: { html: string }) {
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(props.html) }} />;
}

export function Notice() {
  return React.createElement("div", { dangerouslySetInnerHTML: { __html: "<b>closed</b>" } });
}
