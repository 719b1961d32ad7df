import { Component } from "@angular/core";
import { DomSanitizer, SafeHtml } from "@angular/platform-browser";

@Component({ selector: "app-note", template: "<div [innerHTML]=\"note\"></div>" })
export class NoteComponent {
  note: SafeHtml = "";
  constructor(private sanitizer: DomSanitizer) {}

  show(markup: string) {
    this.note = this.sanitizer.bypassSecurityTrustHtml(markup);
  }
}
