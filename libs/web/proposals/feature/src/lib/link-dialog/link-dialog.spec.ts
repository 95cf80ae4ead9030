import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { LinkDialog, type LinkDialogData } from './link-dialog';

function open(data: LinkDialogData) {
  const close = jest.fn();
  TestBed.configureTestingModule({
    imports: [LinkDialog],
    providers: [
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: { close } },
    ],
  });
  const fixture = TestBed.createComponent(LinkDialog);
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  const input = element.querySelector('input') as HTMLInputElement;
  const form = element.querySelector('form') as HTMLFormElement;
  const type = (value: string) => {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  const submit = () => {
    const event = new Event('submit', { cancelable: true });
    form.dispatchEvent(event);
    fixture.detectChanges();
    return event;
  };
  return { close, type, submit };
}

describe('LinkDialog', () => {
  it('takes the submit itself (Apply or Enter) so the browser never submits, and reloads, the page', () => {
    const dialog = open({ href: null });
    dialog.type('https://example.org/183');
    const event = dialog.submit();
    expect(event.defaultPrevented).toBe(true);
    expect(dialog.close).toHaveBeenCalledWith({ href: 'https://example.org/183' });
  });

  it('adds https:// to a bare domain and refuses what is not a web or mail address', () => {
    const bare = open({ href: null });
    bare.type('example.org/page');
    bare.submit();
    expect(bare.close).toHaveBeenCalledWith({ href: 'https://example.org/page' });

    TestBed.resetTestingModule();
    const wrong = open({ href: null });
    wrong.type('javascript:alert(1)');
    expect(wrong.submit().defaultPrevented).toBe(true);
    expect(wrong.close).not.toHaveBeenCalled();
  });
});
