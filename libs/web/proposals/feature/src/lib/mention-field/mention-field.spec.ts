import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { MentionableMemberDto } from '@concord/contracts';
import { MentionField } from './mention-field';

const members: MentionableMemberDto[] = [
  { userId: 'u-drafter', name: 'Amina Rahman' },
  { userId: 'u-in', name: 'Priya Sharma (India)' },
  { userId: 'u-pr', name: 'Pierre Prévost' },
];

@Component({
  imports: [MentionField],
  template: `<cc-mention-field fieldId="box" [members]="members" [value]="value()" (valueChange)="value.set($event)" (keydown.escape)="escaped = true" />`,
})
class Host {
  readonly members = members;
  readonly value = signal('');
  escaped = false;
}

function render() {
  const fixture = TestBed.createComponent(Host);
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  const box = element.querySelector('textarea') as HTMLTextAreaElement;
  const listbox = element.querySelector('[role=listbox]') as HTMLElement;
  const type = (text: string) => {
    box.value += text;
    box.setSelectionRange(box.value.length, box.value.length);
    box.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  const press = (key: string) => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    box.dispatchEvent(event);
    fixture.detectChanges();
    return event;
  };
  const options = () => [...element.querySelectorAll<HTMLElement>('[role=option]')];
  const active = () => element.querySelector(`#${box.getAttribute('aria-activedescendant')}`)?.textContent?.trim();
  return { fixture, host: fixture.componentInstance, box, listbox, type, press, options, active };
}

describe('MentionField', () => {
  it('is a combobox whose list opens on @ and letters, listing the members who match', () => {
    const field = render();
    expect(field.box.getAttribute('role')).toBe('combobox');
    expect(field.box.getAttribute('aria-controls')).toBe(field.listbox.id);
    expect(field.box.getAttribute('aria-expanded')).toBe('false');
    expect(field.listbox.hidden).toBe(true);

    field.type('Ask @P');
    expect(field.box.getAttribute('aria-expanded')).toBe('true');
    expect(field.listbox.hidden).toBe(false);
    expect(field.options().map((option) => option.textContent?.trim())).toEqual(['Pierre Prévost', 'Priya Sharma (India)']);
    expect(field.active()).toBe('Pierre Prévost');
    field.type('ri');
    expect(field.options().map((option) => option.textContent?.trim())).toEqual(['Priya Sharma (India)']);
    field.type('z');
    expect(field.box.getAttribute('aria-expanded')).toBe('false');
    expect(field.box.hasAttribute('aria-activedescendant')).toBe(false);
  });

  it('moves with the arrow keys and inserts the highlighted member with Enter, without a new line', () => {
    const field = render();
    field.type('Thanks @P');
    expect(field.press('ArrowDown').defaultPrevented).toBe(true);
    expect(field.active()).toBe('Priya Sharma (India)');
    expect(field.options()[1].getAttribute('aria-selected')).toBe('true');
    field.press('ArrowDown');
    expect(field.active()).toBe('Pierre Prévost');
    field.press('ArrowUp');
    expect(field.press('Enter').defaultPrevented).toBe(true);
    expect(field.host.value()).toBe('Thanks @Priya Sharma (India) ');
    expect(field.box.selectionStart).toBe(field.box.value.length);
    expect(field.box.getAttribute('aria-expanded')).toBe('false');
    // With the list closed, Enter is the textarea's again.
    expect(field.press('Enter').defaultPrevented).toBe(false);
  });

  it('closes the list on Escape without passing it on (the comment form stays open); then Escape is the form’s', () => {
    const field = render();
    field.type('@Am');
    field.press('Escape');
    expect(field.box.getAttribute('aria-expanded')).toBe('false');
    expect(field.host.escaped).toBe(false);
    field.press('Escape');
    expect(field.host.escaped).toBe(true);
  });

  it('inserts a member chosen with the mouse', () => {
    const field = render();
    field.type('@am');
    field.options()[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    field.fixture.detectChanges();
    expect(field.host.value()).toBe('@Amina Rahman ');
  });
});
